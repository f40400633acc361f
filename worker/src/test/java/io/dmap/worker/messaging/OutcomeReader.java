package io.dmap.worker.messaging;

import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.json.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads map-outcomes from the beginning (no group) until the events of a run satisfy a condition. */
final class OutcomeReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<OutcomeEvent> events = new ArrayList<>();

    OutcomeReader(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = partitions(topic);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** A topic created a moment ago may not be in the metadata yet: ask again until its partitions show (30 s at most). */
    private List<TopicPartition> partitions(String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (!partitions.isEmpty() || System.nanoTime() > deadline) {
                return partitions;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return partitions;
            }
        }
    }

    /** The events of {@code mapRunId} once {@code done} holds for them; fails after 60 s. */
    List<OutcomeEvent> await(String mapRunId, Predicate<List<OutcomeEvent>> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                events.add(Json.fromBytes(r.value(), OutcomeEvent.class));
            }
            List<OutcomeEvent> ofRun = events.stream().filter(e -> e.mapRunId().equals(mapRunId)).toList();
            if (done.test(ofRun)) {
                return ofRun;
            }
        }
        throw new AssertionError("outcomes of " + mapRunId + " incomplete after 60 s: "
                + events.stream().filter(e -> e.mapRunId().equals(mapRunId)).toList());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
