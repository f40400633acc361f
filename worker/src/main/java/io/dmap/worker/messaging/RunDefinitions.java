package io.dmap.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.RunDefinition;
import io.dmap.common.json.Json;
import io.dmap.service.kafka.CompactedTopicReader;
import io.dmap.worker.config.KafkaSettings;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code map-run-definitions} → each run's ItemProcessor, read once by a {@link CompactedTopicReader} and kept: a batch
 * published without its definition ({@link BatchMessage#processor()} null) gets it here. Every batch of a run shares
 * the one parsed definition. The planner writes the definition in the transaction of the run's first batches, so it
 * is in the topic when a batch arrives; the reader may merely not have reached it yet, hence {@link #await}.
 */
@ApplicationScoped
public class RunDefinitions {

    private static final Logger LOG = Logger.getLogger(RunDefinitions.class);
    private static final Duration STEP = Duration.ofSeconds(5);

    private final KafkaSettings kafka;
    private final Map<String, JsonNode> processors = new ConcurrentHashMap<>();
    private volatile CompactedTopicReader reader;

    public RunDefinitions(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    public void start() {
        reader = new CompactedTopicReader(kafka.topics().definitions(),
                kafka.clients().consumer(Map.of()), "dmap-worker-definitions-" + kafka.workerName(), this::apply);
        reader.start();
    }

    /**
     * The batch with its run's definition: as it is when it carries one (schema version 1, redriven batches), else
     * from the topic, waiting up to {@code timeout} for the reader to reach it.
     *
     * @throws IllegalStateException when the definition cannot be had in time (the batch is fetched again later)
     */
    public BatchMessage complete(BatchMessage batch, Duration timeout) throws InterruptedException {
        if (batch.processor() != null) {
            return batch;
        }
        JsonNode processor = processors.get(batch.mapRunId());
        if (processor == null) {
            processor = await(batch.mapRunId(), timeout);
        }
        return batch.withProcessor(processor);
    }

    private JsonNode await(String mapRunId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompactedTopicReader r = reader;
        while (r != null) {
            // a commit's markers are written a moment after it returns: ask for the end again until it shows
            r.readToEnd(STEP);
            JsonNode processor = processors.get(mapRunId);
            if (processor != null) {
                return processor;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("map run " + mapRunId + ": no definition on " + kafka.topics().definitions()
                + " after " + timeout);
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            processors.remove(r.key());
            return;
        }
        RunDefinition definition = Json.fromBytes(r.value(), RunDefinition.class);
        if (definition.processor() == null) {
            LOG.warnf("map run %s: a definition without an ItemProcessor at %s-%d@%d, ignored", r.key(), r.topic(),
                    r.partition(), r.offset());
            return;
        }
        processors.put(r.key(), definition.processor());
    }

    public void stop() {
        if (reader != null) {
            reader.close();
        }
    }
}
