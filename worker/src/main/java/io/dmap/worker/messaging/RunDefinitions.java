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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * {@code map-run-definitions} → each run's ItemProcessor, read once by a {@link CompactedTopicReader} and kept: a batch
 * published without its definition ({@link BatchMessage#processor()} null) gets it here. Every batch of a run shares
 * the one parsed definition. The planner writes the definition in the transaction of the run's first batches, so it
 * is in the topic when a batch arrives; the reader may merely not have reached it yet, hence {@link #await}. When a run
 * is done the aggregator writes a tombstone: the definition is dropped here (and by compaction on the topic).
 */
@ApplicationScoped
public class RunDefinitions {

    private static final Logger LOG = Logger.getLogger(RunDefinitions.class);
    private static final Duration STEP = Duration.ofSeconds(5);
    private static final Duration ASK_AGAIN = Duration.ofMillis(50);
    /** Notified whenever a definition arrives; lanes waiting for one wait on it. */
    private final Object arrivals = new Object();

    private final KafkaSettings kafka;
    private final Map<String, RunDefinition> processors = new ConcurrentHashMap<>();
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
        return complete(batch, timeout, () -> false);
    }

    /**
     * As {@link #complete(BatchMessage, Duration)}, but a batch of a run that {@code finished} says is over is returned
     * as it is, without its definition: it will not run (it is reported not started), and the definition of a run that
     * is done is deleted (a tombstone from the aggregator), so waiting for it would be in vain.
     */
    public BatchMessage complete(BatchMessage batch, Duration timeout, BooleanSupplier finished) throws InterruptedException {
        if (batch.processor() != null) {
            return batch;
        }
        RunDefinition definition = processors.get(batch.mapRunId());
        if (definition == null) {
            definition = await(batch.mapRunId(), timeout, finished);
            if (definition == null) {
                return batch;
            }
        }
        return batch.withDefinition(definition.processor(), definition.mapRunArn());
    }

    /**
     * The definition, or null when the run turned out to be finished meanwhile. Returns as soon as the reader hands the
     * definition over (usually it is on its way: it was committed with the batch), not when a read to the end
     * completes: that waits for the reader's position to pass the commit markers of every partition, which took up to
     * 0.6 s for the first batch of a run on a loaded machine while the lanes beside it had the definition already.
     */
    private RunDefinition await(String mapRunId, Duration timeout, BooleanSupplier finished) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompactedTopicReader r = reader;
        CompletableFuture<Void> end = null;
        long endAskedAt = 0;
        while (r != null) {
            RunDefinition definition = processors.get(mapRunId);
            if (definition != null) {
                return definition;
            }
            if (finished.getAsBoolean()) {
                return null;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                break;
            }
            // a commit's markers are written a moment after it returns: ask for the end again until it shows
            if (end == null || (end.isDone() && now - endAskedAt > ASK_AGAIN.toNanos())
                    || now - endAskedAt > STEP.toNanos()) {
                end = r.readToEnd();
                endAskedAt = now;
            }
            synchronized (arrivals) {
                if (!processors.containsKey(mapRunId)) {
                    arrivals.wait(ASK_AGAIN.toMillis());
                }
            }
        }
        if (finished.getAsBoolean()) {
            return null;
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
        processors.put(r.key(), definition);
        synchronized (arrivals) {
            arrivals.notifyAll();
        }
    }

    public void stop() {
        if (reader != null) {
            reader.close();
        }
    }
}
