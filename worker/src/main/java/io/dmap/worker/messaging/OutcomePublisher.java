package io.dmap.worker.messaging;

import io.dmap.service.tracing.RunTracing;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.dmap.common.events.BatchInputRef;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.json.Json;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.config.WorkerConfig;
import io.dmap.worker.execution.LargeOutputs;
import io.dmap.worker.execution.OutcomeSink;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * OutcomeEvent → {@code map-outcomes}, key = map run id, acks=all, idempotent. {@link #send} does not wait for the
 * broker: its future completes on the broker's acknowledgement, and the lane commits the batch's offset only then
 * (in offset order). One idempotent producer keeps the events of a run in the order they were sent. An
 * ExecutionFinished bigger than {@code worker.claim-check.threshold-bytes} carries its output by reference
 * ({@link LargeOutputs}); one the broker still refuses as too large is replaced by a States.DataLimitExceeded failure.
 */
@ApplicationScoped
public class OutcomePublisher implements OutcomeSink {

    private static final Logger LOG = Logger.getLogger(OutcomePublisher.class);
    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(OutcomeEvent.class);
    private static final int STORE_ATTEMPTS = 3;
    private static final Executor REPLACEMENTS = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dmap-outcome-replacements");
        t.setDaemon(true);
        return t;
    });

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final LargeOutputs largeOutputs;
    private final int thresholdBytes;

    @Inject
    public OutcomePublisher(KafkaSettings kafka, WorkerConfig config, LargeOutputs largeOutputs) {
        this(kafka, largeOutputs, config.claimCheck().thresholdBytes());
    }

    public OutcomePublisher(KafkaSettings kafka, LargeOutputs largeOutputs, int thresholdBytes) {
        this.topic = kafka.topics().outcomes();
        this.largeOutputs = largeOutputs;
        this.thresholdBytes = thresholdBytes;
        this.producer = new KafkaProducer<>(kafka.clients().producer(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "dmap-worker-outcomes-" + kafka.workerName(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // an outcome carries its batch's input and output as JSON: lz4 cuts what the broker stores and the
                // aggregator fetches to a fraction, for little CPU
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public CompletableFuture<Void> send(OutcomeEvent event) throws InterruptedException {
        byte[] value = serialize(event);
        if (value.length > thresholdBytes && event instanceof ExecutionFinished f && f.output() != null && !f.output().isNull()) {
            event = byReference(f, value.length);
            value = serialize(event);
        }
        OutcomeEvent sent = event;
        // the replacement is sent off the producer's I/O thread (a send from a callback could block it)
        return send(sent, value).exceptionallyComposeAsync(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RecordTooLargeException && sent instanceof ExecutionFinished f) {
                LOG.warnf(cause, "map run %s batch %d: outcome too large for the broker, reported as failed",
                        f.mapRunId(), f.batchIndex());
                ExecutionFinished failed = tooLarge(f, "The execution's input or output exceeds the broker's message size limit");
                return send(failed, serialize(failed));
            }
            return CompletableFuture.failedFuture(new IllegalStateException("cannot publish "
                    + sent.getClass().getSimpleName() + " of map run " + sent.mapRunId() + " batch " + sent.batchIndex(), cause));
        }, REPLACEMENTS);
    }

    /**
     * Claim check: the output goes to S3 and the event carries its reference. Without a bucket, or when S3 refuses it
     * three times, the execution fails with States.DataLimitExceeded (as AWS fails an execution whose output is too big).
     */
    private ExecutionFinished byReference(ExecutionFinished f, int size) throws InterruptedException {
        if (!largeOutputs.enabled()) {
            LOG.warnf("map run %s batch %d: outcome of %d bytes exceeds %d bytes and worker.claim-check.bucket is not set;"
                    + " reported as failed", f.mapRunId(), f.batchIndex(), size, thresholdBytes);
            return tooLarge(f, "The execution's output (" + size + " bytes with its input) exceeds " + thresholdBytes
                    + " bytes and no bucket for large outputs is configured");
        }
        byte[] output = Json.toBytes(f.output());
        for (int attempt = 1; ; attempt++) {
            try {
                BatchInputRef ref = largeOutputs.store(f.mapRunId(), f.batchIndex(), f.redriveCount(), output);
                LOG.debugf("map run %s batch %d: output of %d bytes stored at s3://%s/%s", f.mapRunId(), f.batchIndex(),
                        output.length, ref.bucket(), ref.key());
                return f.withOutputRef(ref);
            } catch (Exception e) {
                if (attempt == STORE_ATTEMPTS) {
                    LOG.errorf(e, "map run %s batch %d: cannot store its output of %d bytes; reported as failed",
                            f.mapRunId(), f.batchIndex(), output.length);
                    return tooLarge(f, "The execution's output (" + output.length + " bytes) could not be stored by reference: "
                            + e.getMessage());
                }
                Thread.sleep(500L * attempt);
            }
        }
    }

    private static byte[] serialize(OutcomeEvent event) {
        try {
            return WRITER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an outcome of map run " + event.mapRunId(), e);
        }
    }

    private CompletableFuture<Void> send(OutcomeEvent event, byte[] value) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.mapRunId(), value);
        RunTracing.inject(record.headers()); // the child execution's span (on the lane's thread), with tracing on
        producer.send(record, (metadata, e) -> {
            if (e == null) {
                acked.complete(null);
            } else {
                acked.completeExceptionally(e);
            }
        });
        return acked;
    }

    /** AWS fails executions whose data exceed its limits with States.DataLimitExceeded; so does dmap. */
    private static ExecutionFinished tooLarge(ExecutionFinished f, String cause) {
        return new ExecutionFinished(f.v(), f.mapRunId(), f.batchIndex(), f.itemCount(), ExecutionStatus.FAILED,
                f.input(), null, "States.DataLimitExceeded", cause, f.startDate(), f.stopDate(), f.redriveCount(), f.worker(),
                f.inputRef());
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
