package io.dmap.worker.config;

import io.dmap.service.DmapConfig;
import io.dmap.common.topics.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.util.UUID;

/** Where Kafka is, which topics to use, and the name this worker reports in outcomes. */
@ApplicationScoped
public class KafkaSettings {

    private final String bootstrapServers;
    private final Topics topics;
    private final String workerName;

    public KafkaSettings(@ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092") String bootstrapServers,
                         DmapConfig dmap, WorkerConfig worker) {
        this.bootstrapServers = bootstrapServers;
        this.topics = Topics.of(dmap.topics().namespace().orElse(""));
        this.workerName = worker.name().orElseGet(KafkaSettings::hostName);
    }

    public String bootstrapServers() {
        return bootstrapServers;
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
