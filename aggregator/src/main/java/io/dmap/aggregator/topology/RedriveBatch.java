package io.dmap.aggregator.topology;

import io.dmap.common.events.BatchMessage;
import io.dmap.common.json.JsonSerde;
import io.dmap.common.spec.Placement;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.util.Optional;
import java.util.Set;

/**
 * A batch that a redrive publishes again on map-batches, with the run's MaxConcurrency at that moment: the sink
 * places it where the planner would have ({@link Placement}) and writes only the {@link BatchMessage}.
 */
record RedriveBatch(BatchMessage batch, int maxConcurrency) {

    /** Serialises the batch message only (nothing reads this type back). */
    static Serde<RedriveBatch> serde() {
        JsonSerde<BatchMessage> batches = JsonSerde.of(BatchMessage.class);
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : batches.serializer().serialize(topic, value.batch()),
                (topic, bytes) -> {
                    throw new UnsupportedOperationException("redriven batches are only written");
                });
    }

    /** {@link Placement#partitionFor}: the same partition as the batch's first publication when M is unchanged. */
    static StreamPartitioner<String, RedriveBatch> placement() {
        return (topic, key, value, numPartitions) -> Optional.of(Set.of(Placement.partitionFor(
                value.batch().mapRunId(), value.batch().batchIndex(), value.maxConcurrency(), numPartitions)));
    }
}
