package io.dmap.planner.messaging;

import io.dmap.service.tracing.RunTracing;
import io.dmap.common.topics.Topics;
import io.dmap.planner.planning.CheckpointPolicy;
import io.dmap.service.kafka.KafkaClientConfig;

import java.time.Duration;

/**
 * What a {@link PlannerGroup} needs to know.
 *
 * @param kafka       what every Kafka client of the planner group starts from (kafka.*)
 * @param groupId     the consumer group of the planners on map-runs (the map-runs partitions are shared among its
 *                    members; transactional ids derive from it)
 * @param checkpoints how often planning commits a checkpoint transaction
 * @param claimCheck  what happens to a batch too big for a Kafka message
 * @param maxItemsPerRun a run whose source holds more items fails (planner.limits.max-items-per-run)
 * @param tracing     the spans of planning
 */
public record PlannerSettings(KafkaClientConfig kafka, Topics topics, String groupId, CheckpointPolicy checkpoints,
                              Duration kafkaTimeout, ClaimCheck claimCheck, long maxItemsPerRun, RunTracing tracing) {

    public PlannerSettings(KafkaClientConfig kafka, Topics topics, String groupId, CheckpointPolicy checkpoints,
                           Duration kafkaTimeout, ClaimCheck claimCheck, long maxItemsPerRun) {
        this(kafka, topics, groupId, checkpoints, kafkaTimeout, claimCheck, maxItemsPerRun, RunTracing.OFF);
    }

    public PlannerSettings(KafkaClientConfig kafka, Topics topics, String groupId, CheckpointPolicy checkpoints,
                           Duration kafkaTimeout, ClaimCheck claimCheck) {
        this(kafka, topics, groupId, checkpoints, kafkaTimeout, claimCheck, Long.MAX_VALUE, RunTracing.OFF);
    }

    public PlannerSettings(KafkaClientConfig kafka, Topics topics, String groupId, CheckpointPolicy checkpoints,
                           Duration kafkaTimeout) {
        this(kafka, topics, groupId, checkpoints, kafkaTimeout, ClaimCheck.none());
    }

    /** The transactional id of the producer that plans the runs of one map-runs partition. */
    String transactionalId(int partition) {
        return groupId + "-" + topics.runs() + "-" + partition;
    }
}
