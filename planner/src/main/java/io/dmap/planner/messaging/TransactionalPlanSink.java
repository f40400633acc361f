package io.dmap.planner.messaging;

import io.dmap.service.tracing.RunTracing;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunDefinition;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.PlanCheckpoint;
import io.dmap.planner.planning.PlanSink;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One run's plan → Kafka, in transactions of the planner's partition producer (a transaction is open when the
 * sink is created). Each {@link #checkpoint} commits the batches sent so far together with the checkpoint record
 * and opens the next transaction; {@link #planned} / {@link #failed} commit the run event, the final
 * ({@code done}) checkpoint and the consumer offset past the run's RunRequested, all at once. Batches of a
 * transaction that is never committed (the planner died) are invisible to read_committed consumers.
 */
final class TransactionalPlanSink implements PlanSink {

    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final String mapRunId;
    private final Map<TopicPartition, OffsetAndMetadata> requestOffset;
    private final String groupId;
    private final BooleanSupplier stop;
    private final Consumer<PlanCheckpoint> committed;
    private final ClaimCheck claimCheck;
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    /** The trace context every batch record carries (none with tracing off), taken once: it is the same for all. */
    private final List<Header> traceHeaders;

    /** Where things go: the batches topic, map-runs, the checkpoint topic's partition for this run, the definitions. */
    record Topics(String batches, String runs, TopicPartition checkpoints, String definitions) {
    }

    /** The run's definition is sent once, with the first batches (again on a resumed planning: compacted, harmless). */
    private boolean definitionSent;
    /** The run's ARN, sent with the definition: it names the child executions. */
    private final String mapRunArn;

    TransactionalPlanSink(Producer<String, byte[]> producer, Topics topics, String mapRunId, String mapRunArn,
                          Map<TopicPartition, OffsetAndMetadata> requestOffset, String groupId, BooleanSupplier stop,
                          Consumer<PlanCheckpoint> committed, ClaimCheck claimCheck) {
        this.producer = producer;
        this.topics = topics;
        this.mapRunId = mapRunId;
        this.mapRunArn = mapRunArn;
        this.requestOffset = requestOffset;
        this.groupId = groupId;
        this.stop = stop;
        this.committed = committed;
        this.claimCheck = claimCheck;
        RecordHeaders trace = new RecordHeaders();
        RunTracing.inject(trace); // the planning span, current while the run is planned: each child execution's parent
        this.traceHeaders = List.of(trace.toArray());
    }

    @Override
    public void batch(BatchMessage full, int partition) {
        if (!definitionSent && full.processor() != null) {
            // same transaction as the batch: a worker that sees the batch can see its definition
            producer.send(new ProducerRecord<>(topics.definitions(), mapRunId,
                    Json.toBytes(RunDefinition.of(mapRunId, full.processor(), mapRunArn))));
            definitionSent = true;
        }
        BatchMessage batch = full.processor() != null ? full.withoutProcessor() : full;
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.batches(), partition, null, batch.key(),
                claimCheck.serialize(batch), traceHeaders);
        producer.send(record, (m, error) -> {
            if (error != null) {
                firstFailure.compareAndSet(null, "cannot publish batch " + batch.batchIndex() + " to " + topics.batches()
                        + ": " + error.getMessage());
            }
        });
    }

    /**
     * Reports a send that has already failed; does not wait for the others. The commit that follows (the run's last)
     * flushes them and fails if any could not be stored, and a failed commit aborts the transaction and plans again from
     * the last checkpoint: waiting here first only added a broker round trip (about 60 ms of a 100-item run's 0.6 s).
     */
    @Override
    public void flush() {
        String failure = firstFailure.get();
        if (failure != null) {
            throw new PublishException(failure, null);
        }
    }

    @Override
    public void checkpoint(PlanCheckpoint checkpoint) {
        sendCheckpoint(checkpoint);
        producer.commitTransaction();
        committed.accept(checkpoint);
        producer.beginTransaction();
    }

    @Override
    public void planned(RunPlanned planned) {
        finish(planned, PlanCheckpoint.of(mapRunId, planned.totalBatches(), planned.totalItems(), null, true));
    }

    @Override
    public void failed(PlanningFailed failed) {
        finish(failed, PlanCheckpoint.of(mapRunId, failed.batchesPublished(), failed.itemsPublished(), null, true));
    }

    @Override
    public boolean stopRequested() {
        return stop.getAsBoolean();
    }

    private void finish(RunEvent event, PlanCheckpoint done) {
        producer.send(new ProducerRecord<>(topics.runs(), mapRunId, RunEventPublisher.serialize(event)));
        sendCheckpoint(done);
        producer.sendOffsetsToTransaction(requestOffset, new ConsumerGroupMetadata(groupId));
        producer.commitTransaction();
        committed.accept(done);
    }

    private void sendCheckpoint(PlanCheckpoint checkpoint) {
        producer.send(new ProducerRecord<>(topics.checkpoints().topic(), topics.checkpoints().partition(), mapRunId,
                Json.toBytes(checkpoint)));
    }
}
