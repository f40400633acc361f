package io.dmap.worker.messaging;

import io.dmap.common.events.ChildHandoff;
import io.dmap.common.json.Json;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.execution.ChildHandoffs;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * ChildHandoff → {@code executions} (the parent engine's compacted topic), key {@code <execution ARN>#handoff}, in the
 * partition of the execution ARN (murmur2, as the planner's ExecutionStore places an execution's records: the replica
 * that drives that partition picks it up). acks=all, idempotent; does not wait for the broker.
 */
@ApplicationScoped
public class ChildHandoffPublisher implements ChildHandoffs, AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    @Inject
    public ChildHandoffPublisher(KafkaSettings kafka) {
        this.topic = kafka.topics().executions();
        this.producer = new KafkaProducer<>(kafka.clients().producer(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "dmap-worker-handoffs-" + kafka.workerName(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public CompletableFuture<Void> handOff(ChildHandoff child) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        try {
            int partitions = producer.partitionsFor(topic).size();
            int partition = Utils.toPositive(Utils.murmur2(child.executionArn().getBytes(StandardCharsets.UTF_8)))
                    % partitions;
            producer.send(new ProducerRecord<>(topic, partition, child.key(), Json.toBytes(child)), (m, e) -> {
                if (e instanceof RecordTooLargeException) {
                    stored.completeExceptionally(new ChildHandoffs.TooLarge("The child execution's handoff (its"
                            + " input and definition) is larger than the broker takes: " + e.getMessage(), e));
                } else if (e != null) {
                    stored.completeExceptionally(e);
                } else {
                    stored.complete(null);
                }
            });
        } catch (RuntimeException e) {
            stored.completeExceptionally(e);
        }
        return stored;
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
