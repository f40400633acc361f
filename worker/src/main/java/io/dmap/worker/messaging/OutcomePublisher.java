package io.dmap.worker.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.json.Json;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.execution.OutcomeSink;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * OutcomeEvent → {@code map-outcomes}, key = map run id, acks=all, idempotent. {@link #publish} blocks until the
 * broker has the event, so the lane commits the batch's offset only after its outcome is safe.
 */
@ApplicationScoped
public class OutcomePublisher implements OutcomeSink {

    private static final Logger LOG = Logger.getLogger(OutcomePublisher.class);
    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(OutcomeEvent.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public OutcomePublisher(KafkaSettings kafka) {
        this.topic = kafka.topics().outcomes();
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "dmap-worker-outcomes-" + kafka.workerName(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(OutcomeEvent event) throws InterruptedException {
        try {
            send(event);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException && event instanceof ExecutionFinished f) {
                LOG.warnf(e, "map run %s batch %d: outcome too large for the broker, reported as failed",
                        f.mapRunId(), f.batchIndex());
                publishOrThrow(tooLarge(f));
                return;
            }
            throw new IllegalStateException("cannot publish " + event.getClass().getSimpleName() + " of map run "
                    + event.mapRunId() + " batch " + event.batchIndex(), e.getCause());
        }
    }

    private void publishOrThrow(OutcomeEvent event) throws InterruptedException {
        try {
            send(event);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish the outcome of map run " + event.mapRunId()
                    + " batch " + event.batchIndex(), e.getCause());
        }
    }

    private void send(OutcomeEvent event) throws InterruptedException, ExecutionException {
        byte[] value;
        try {
            value = WRITER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an outcome of map run " + event.mapRunId(), e);
        }
        producer.send(new ProducerRecord<>(topic, event.mapRunId(), value)).get();
    }

    /** AWS fails executions whose data exceed its limits with States.DataLimitExceeded; so does dmap. */
    private static ExecutionFinished tooLarge(ExecutionFinished f) {
        return new ExecutionFinished(f.v(), f.mapRunId(), f.batchIndex(), f.itemCount(), ExecutionStatus.FAILED,
                null, null, "States.DataLimitExceeded", "The execution's input or output exceeds the broker's message size limit",
                f.startDate(), f.stopDate(), f.redriveCount(), f.worker());
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
