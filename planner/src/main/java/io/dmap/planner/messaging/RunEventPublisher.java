package io.dmap.planner.messaging;

import io.dmap.service.tracing.RunTracing;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.dmap.common.events.RunEvent;
import io.dmap.common.json.Json;
import io.dmap.planner.config.PlannerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Run events → {@code map-runs} ({@link RunEvent}, key = map run id, with its {@code type}). Every publish
 * waits for the broker's acknowledgement, so a caller that returns has made the event durable.
 */
@ApplicationScoped
public class RunEventPublisher {

    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(RunEvent.class);

    private final KafkaClients kafka;
    private final PlannerConfig config;

    public RunEventPublisher(KafkaClients kafka, PlannerConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    public void publish(RunEvent event) {
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(kafka.topics().runs(), event.mapRunId(), serialize(event));
            RunTracing.inject(record.headers()); // the request's trace (with tracing on): planning continues it
            kafka.producer().send(record)
                    .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while publishing " + describe(event), e);
        } catch (ExecutionException e) {
            throw new PublishFailedException("cannot publish " + describe(event) + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("no acknowledgement within " + config.publishTimeout() + " for " + describe(event), e);
        }
    }

    static byte[] serialize(RunEvent event) {
        try {
            return WRITER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + describe(event), e);
        }
    }

    private static String describe(RunEvent event) {
        return event.getClass().getSimpleName() + " of map run " + event.mapRunId();
    }

    /** Kafka did not take the event: the caller answers 503. */
    public static class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
