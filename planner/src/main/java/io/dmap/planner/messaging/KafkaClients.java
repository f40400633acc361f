package io.dmap.planner.messaging;

import io.dmap.common.topics.Topics;
import io.dmap.service.DmapConfig;
import io.dmap.service.kafka.KafkaClientConfig;
import io.dmap.service.kafka.TopicCreator;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;

/**
 * The planner's Kafka clients: one idempotent producer (acks=all) shared by run events and batches, and one
 * admin client for topic creation, partition counts and readiness.
 */
@ApplicationScoped
public class KafkaClients {

    private final KafkaClientConfig kafka;
    private final DmapConfig.Topics topicConfig;
    private final Topics topics;
    private volatile Producer<String, byte[]> producer;
    private volatile Admin admin;

    public KafkaClients(KafkaClientConfig kafka, DmapConfig config) {
        this.kafka = kafka;
        this.topicConfig = config.topics();
        this.topics = Topics.of(config.topics().namespace().orElse(""));
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The settings every Kafka client of the planner starts from. */
    public KafkaClientConfig config() {
        return kafka;
    }

    public Topics topics() {
        return topics;
    }

    /** Creates the missing dmap topics with the configured partition counts. */
    public void ensureTopics() {
        TopicCreator.ensure(kafka, topics, topicConfig.batchPartitions(), topicConfig.partitions(),
                topicConfig.replicationFactor());
    }

    /** The real partition count of map-batches (P): it may differ from the configured one if the topic pre-existed. */
    public int batchPartitions() {
        try {
            return TopicCreator.partitionCount(admin(), topics.batches());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topics.batches(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe topic " + topics.batches() + ": " + e.getMessage(), e);
        }
    }

    public Producer<String, byte[]> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(kafka.producer(Map.of(
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                            ProducerConfig.LINGER_MS_CONFIG, 5,
                            ProducerConfig.CLIENT_ID_CONFIG, "dmap-planner")),
                            new StringSerializer(), new ByteArraySerializer());
                }
            }
        }
        return producer;
    }

    public Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(kafka.admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "dmap-planner-admin")));
                }
            }
        }
        return admin;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
