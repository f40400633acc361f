package io.dmap.planner.messaging;

import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.PlanSink;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One run's plan → Kafka: batches → {@code map-batches} ({@link BatchMessage}, key "mapRunId/batchIndex", the
 * partition chosen by the planner), sent without waiting so listing and publishing overlap; {@link #flush()}
 * waits for all of them. RunPlanned / PlanningFailed → {@code map-runs} through {@link RunEventPublisher}.
 */
public final class KafkaPlanSink implements PlanSink {

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final RunEventPublisher runEvents;
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    public KafkaPlanSink(Producer<String, byte[]> producer, String batchesTopic, RunEventPublisher runEvents) {
        this.producer = producer;
        this.topic = batchesTopic;
        this.runEvents = runEvents;
    }

    @Override
    public void batch(BatchMessage batch, int partition) {
        try {
            producer.send(new ProducerRecord<>(topic, partition, batch.key(), Json.toBytes(batch)), (metadata, error) -> {
                if (error != null) {
                    firstFailure.compareAndSet(null, "cannot publish batch " + batch.batchIndex() + " to " + topic + ": "
                            + error.getMessage());
                }
            });
        } catch (RuntimeException e) {
            throw new PublishException("cannot publish batch " + batch.batchIndex() + " to " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void flush() {
        producer.flush();
        String failure = firstFailure.get();
        if (failure != null) {
            throw new PublishException(failure, null);
        }
    }

    @Override
    public void planned(RunPlanned planned) {
        runEvents.publish(planned);
    }

    @Override
    public void failed(PlanningFailed failed) {
        runEvents.publish(failed);
    }
}
