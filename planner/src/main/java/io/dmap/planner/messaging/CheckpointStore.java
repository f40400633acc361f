package io.dmap.planner.messaging;

import io.dmap.common.json.Json;
import io.dmap.planner.planning.PlanCheckpoint;
import io.dmap.service.kafka.CompactedTopicReader;
import io.dmap.service.kafka.KafkaClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads one partition of {@code map-plan-checkpoints} (a {@link CompactedTopicReader}: read_committed, from the
 * beginning to its end) into the latest committed checkpoint per map run. A planner calls it when it takes over a
 * map-runs partition, after its transactional producer fenced the previous owner, so the previous owner's open
 * transaction is aborted and everything committed is visible.
 */
final class CheckpointStore {

    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);

    private CheckpointStore() {
    }

    static Map<String, PlanCheckpoint> read(KafkaClientConfig kafka, TopicPartition partition, Duration timeout) {
        Map<String, PlanCheckpoint> latest = new ConcurrentHashMap<>();
        try (CompactedTopicReader reader = new CompactedTopicReader(partition.topic(), kafka.consumer(Map.of()),
                "dmap-planner-checkpoints-" + partition, p -> p == partition.partition(), r -> apply(latest, r))) {
            reader.start();
            if (!reader.readToEnd(timeout)) {
                throw new IllegalStateException("cannot read " + partition + " to its end within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + partition, e);
        }
        return new java.util.HashMap<>(latest);
    }

    private static void apply(Map<String, PlanCheckpoint> latest, ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            latest.remove(record.key());
            return;
        }
        try {
            latest.put(record.key(), Json.fromBytes(record.value(), PlanCheckpoint.class));
        } catch (RuntimeException e) {
            LOG.warnf(e, "map run %s: unreadable planning checkpoint at %s@%d, ignored", record.key(),
                    record.topic() + "-" + record.partition(), record.offset());
        }
    }
}
