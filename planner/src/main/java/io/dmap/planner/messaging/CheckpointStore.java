package io.dmap.planner.messaging;

import io.dmap.common.json.Json;
import io.dmap.planner.planning.PlanCheckpoint;
import io.dmap.service.kafka.KafkaClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one partition of {@code map-plan-checkpoints} (read_committed, from the beginning to its end) into the
 * latest committed checkpoint per map run. A planner calls it when it takes over a map-runs partition, after its
 * transactional producer fenced the previous owner, so the previous owner's open transaction is aborted and
 * everything committed is visible.
 */
final class CheckpointStore {

    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);

    private CheckpointStore() {
    }

    static Map<String, PlanCheckpoint> read(KafkaClientConfig kafka, TopicPartition partition, Duration timeout) {
        Map<String, PlanCheckpoint> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "dmap-planner-checkpoints-" + partition)),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (consumer.position(partition) < end) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("cannot read " + partition + " to its end (" + end + ") within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(latest, record);
                }
            }
        }
        return latest;
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
