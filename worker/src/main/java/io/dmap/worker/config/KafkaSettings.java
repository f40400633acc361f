package io.dmap.worker.config;

import io.dmap.service.DmapConfig;
import io.dmap.common.topics.Topics;
import io.dmap.service.kafka.KafkaClientConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.util.UUID;

/** How to reach Kafka (the shared {@code kafka.*} client settings), which topics to use, and the name this worker reports in outcomes. */
@ApplicationScoped
public class KafkaSettings {

    private final KafkaClientConfig clients;
    private final Topics topics;
    private final String workerName;

    public KafkaSettings(KafkaClientConfig clients, DmapConfig dmap, WorkerConfig worker) {
        this.clients = clients;
        this.topics = Topics.of(dmap.topics().namespace().orElse(""));
        this.workerName = worker.name().orElseGet(KafkaSettings::hostName);
    }

    public String bootstrapServers() {
        return clients.bootstrapServers();
    }

    /** The settings every Kafka client of the worker starts from. */
    public KafkaClientConfig clients() {
        return clients;
    }

    public Topics topics() {
        return topics;
    }

    public String workerName() {
        return workerName;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "worker-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
