package io.dmap.planner.messaging;

import io.opentelemetry.context.Scope;
import io.opentelemetry.api.trace.Span;
import io.dmap.common.spec.Arns;
import io.dmap.service.tracing.RunTracing;
import io.dmap.service.logging.RunLogContext;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunRequested;
import io.dmap.common.json.Json;
import io.dmap.asl.map.MapContext;
import io.dmap.asl.map.MapRunSpec;
import io.dmap.asl.map.SpecParser;
import io.dmap.planner.planning.BatchPlanner;
import io.dmap.planner.planning.ItemReaderFactory;
import io.dmap.planner.planning.PlanCheckpoint;
import io.dmap.planner.planning.PlanResult;
import io.dmap.planner.planning.PlanSink;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Plans the runs requested on one partition of map-runs while this planner owns it, one run at a time in
 * request order, on its own thread. Its transactional producer (id = group + partition) fences any previous owner
 * of the partition when it starts; then it reads the partition's committed checkpoints and resumes an unfinished
 * run where that checkpoint says. A run's RunRequested offset is committed in the run's last transaction, so a
 * run is planned to its end exactly once however often the partition changes hands.
 */
final class PartitionPlanner implements Runnable {

    private static final Logger LOG = Logger.getLogger(PartitionPlanner.class);
    static final Duration RESTART_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);

    private final PlannerSettings settings;
    private final TopicPartition partition;
    private final TopicPartition checkpointPartition;
    private final int batchPartitions;
    private final ItemReaderFactory readers;
    private final Clock clock;
    private final PlannerGroup.Listener listener;
    private final BlockingQueue<ConsumerRecord<String, byte[]>> queue = new LinkedBlockingQueue<>();
    private volatile boolean stopping;
    private volatile boolean halted;
    private volatile Producer<String, byte[]> producer;
    private Map<String, PlanCheckpoint> checkpoints;
    /** The request being planned: a planner that starts again plans it again (from its last checkpoint). */
    private ConsumerRecord<String, byte[]> current;
    private Thread thread;

    PartitionPlanner(PlannerSettings settings, TopicPartition partition, TopicPartition checkpointPartition,
                     int batchPartitions, ItemReaderFactory readers, Clock clock, PlannerGroup.Listener listener) {
        this.settings = settings;
        this.partition = partition;
        this.checkpointPartition = checkpointPartition;
        this.batchPartitions = batchPartitions;
        this.readers = readers;
        this.clock = clock;
        this.listener = listener;
    }

    void start() {
        thread = new Thread(this, "dmap-planner-" + partition);
        thread.setDaemon(true);
        thread.start();
    }

    void offer(ConsumerRecord<String, byte[]> record) {
        queue.add(record);
    }

    /** Stops planning (an open transaction is aborted) and waits for the thread to end. */
    void stop(Duration wait) {
        stopping = true;
        join(wait);
    }

    /** Stops as if the process died: nothing is committed or aborted; the producer is dropped. */
    void halt(Duration wait) {
        halted = true;
        stopping = true;
        join(wait);
    }

    private void join(Duration wait) {
        if (thread != null) {
            try {
                thread.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        long backoff = RESTART_BACKOFF.toMillis();
        while (!stopping) {
            long started = System.nanoTime();
            try {
                planUntilStopped();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ProducerFencedException | InvalidProducerEpochException e) {
                if (stopping) {
                    return;
                }
                // the partition is still ours (a handover stops this planner first): the broker aborted the open
                // transaction (its timeout passed, e.g. across a broker restart) and bumped the producer's epoch
                LOG.infof("planner of %s was fenced while it still owns the partition (%s); starting again in %d ms",
                        partition, e.getMessage(), backoff);
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                LOG.errorf(e, "planner of %s failed; starting again in %d ms", partition, backoff);
            } finally {
                closeProducer();
            }
            // a planner that gave up would leave the partition's runs unplanned (in PLANNING) until the next
            // rebalance: start again, fencing the dead producer (its open transaction is aborted) and resuming the
            // run at hand from its last checkpoint
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            boolean livedLong = System.nanoTime() - started > MAX_RESTART_BACKOFF.toNanos() * 2;
            backoff = livedLong ? RESTART_BACKOFF.toMillis() : Math.min(backoff * 2, MAX_RESTART_BACKOFF.toMillis());
        }
    }

    /** One life of the planner: a new producer (fencing the previous one), the checkpoints, then the requests. */
    private void planUntilStopped() throws InterruptedException {
        producer = new KafkaProducer<>(settings.kafka().producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId(partition.partition()),
                // checkpoints commit every few seconds; the margin covers a source that stalls between items
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 900_000,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // the first sends of a transaction opened right after a commit meet CONCURRENT_TRANSACTIONS while
                // the broker finishes the last one: retry them soon, not after the default 100 ms
                ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.CLIENT_ID_CONFIG, "dmap-planner-" + partition.partition())),
                new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions(); // fences the previous owner and aborts its open transaction
        checkpoints = CheckpointStore.read(settings.kafka(), checkpointPartition, settings.kafkaTimeout());
        LOG.infof("planning the runs of %s (%d checkpoints)", partition, checkpoints.size());
        while (!stopping) {
            if (current == null) {
                current = queue.poll(200, TimeUnit.MILLISECONDS);
            }
            if (current != null) {
                handleWithRetries(current);
                current = null; // handled: a restart would not plan it again
            }
        }
    }

    private void handleWithRetries(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        try (RunLogContext log = RunLogContext.run(record.key())) {
            handleInContext(record);
        }
    }

    private void handleInContext(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        while (!stopping) {
            try {
                handle(record);
                return;
            } catch (PlanSink.StoppedException e) {
                LOG.infof("%s", e.getMessage());
                if (!halted) {
                    abortQuietly();
                }
                return;
            } catch (ProducerFencedException | InvalidProducerEpochException e) {
                throw e;
            } catch (KafkaException | PlanSink.PublishException e) {
                if (stopping) {
                    return;
                }
                LOG.warn("publishing the plan failed; aborting the transaction and resuming from the last checkpoint", e);
                producer.abortTransaction();
                Thread.sleep(1000);
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        RunEvent event;
        try {
            event = record.value() == null ? null : Json.fromBytes(record.value(), RunEvent.class);
        } catch (RuntimeException e) {
            LOG.warnf(e, "unreadable event at %s@%d, skipped", partition, record.offset());
            return;
        }
        if (!(event instanceof RunRequested requested)) {
            return;
        }
        // a child of the POST's span when the request was traced (RunEventPublisher put its context in the headers)
        Span span;
        try (Scope request = RunTracing.extract(record.headers()).makeCurrent()) {
            span = settings.tracing().planning(requested.mapRunId());
        }
        try (Scope scope = span.makeCurrent()) {
            plan(record, requested);
        } finally {
            span.end();
        }
    }

    private void plan(ConsumerRecord<String, byte[]> record, RunRequested requested) {
        String mapRunId = requested.mapRunId();
        Map<TopicPartition, OffsetAndMetadata> offset = Map.of(partition, new OffsetAndMetadata(record.offset() + 1));
        PlanCheckpoint checkpoint = checkpoints.get(mapRunId);
        producer.beginTransaction();
        if (checkpoint != null && checkpoint.done()) {
            LOG.info("already planned, skipped");
            producer.sendOffsetsToTransaction(offset, new ConsumerGroupMetadata(settings.groupId()));
            producer.commitTransaction();
            return;
        }
        TransactionalPlanSink sink = new TransactionalPlanSink(producer, new TransactionalPlanSink.Topics(
                settings.topics().batches(), settings.topics().runs(), checkpointPartition,
                settings.topics().definitions()), mapRunId, Arns.mapRunOf(requested.config(), mapRunId), offset,
                settings.groupId(), () -> stopping, c -> checkpoints.put(mapRunId, c), settings.claimCheck());
        MapRunSpec spec;
        try {
            spec = SpecParser.parse(requested.spec());
        } catch (RuntimeException e) {
            LOG.error("its spec cannot be read any more", e);
            sink.failed(PlanningFailed.of(mapRunId, BatchPlanner.RUNTIME, "the spec cannot be read: " + e.getMessage(),
                    0, 0, clock.instant()));
            return;
        }
        if (checkpoint != null) {
            LOG.infof("resuming planning at batch %d, item %d", checkpoint.nextBatchIndex(),
                    checkpoint.itemsPublished());
        }
        // the context is fixed by the RunRequested, so a planner that resumes the run resolves it the same way
        PlanResult result = new BatchPlanner(sink, clock, settings.checkpoints(), settings.maxItemsPerRun()).plan(mapRunId, spec,
                MapContext.forRun(mapRunId, spec, requested.requestedAt(), requested.parent()), readers::readerFor, batchPartitions,
                checkpoint);
        listener.planned(mapRunId, result);
        if (result.planned()) {
            LOG.infof("planned %d items in %d batches over %d partitions", result.items(),
                    result.batches(), batchPartitions);
        } else {
            LOG.warnf("planning failed after %d batches: %s: %s", result.batches(), result.error(),
                    result.cause());
        }
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            LOG.debugf(e, "aborting the transaction of %s", partition);
        }
    }

    private void closeProducer() {
        Producer<String, byte[]> p = producer;
        if (p == null) {
            return;
        }
        try {
            p.close(halted ? Duration.ZERO : settings.kafkaTimeout());
        } catch (RuntimeException e) {
            LOG.debugf(e, "closing the producer of %s", partition);
        }
    }
}
