package io.dmap.bench;

import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.events.RunRequested;
import io.dmap.common.json.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reads a run's planning facts from map-runs: when it was requested and when the planner published RunPlanned. */
final class RunEvents {

    /** Planner-side planning time: RunRequested.requestedAt to RunPlanned.at. */
    record Planning(Instant requested, Instant planned, long totalItems, long totalBatches) {
        double seconds() {
            return Duration.between(requested, planned).toNanos() / 1e9;
        }
    }

    private RunEvents() {
    }

    static Planning planning(String bootstrap, String topic, String mapRunId) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Instant requested = null;
            RunPlanned planned = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while ((requested == null || planned == null) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (!mapRunId.equals(r.key())) {
                        continue;
                    }
                    RunEvent e = Json.fromBytes(r.value(), RunEvent.class);
                    if (e instanceof RunRequested rr && requested == null) {
                        requested = rr.requestedAt();
                    } else if (e instanceof RunPlanned rp && planned == null) {
                        planned = rp;
                    }
                }
            }
            if (requested == null || planned == null) {
                throw new IllegalStateException("no RunRequested/RunPlanned for " + mapRunId + " on " + topic);
            }
            return new Planning(requested, planned.at(), planned.totalItems(), planned.totalBatches());
        }
    }
}
