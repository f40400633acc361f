package io.dmap.worker.messaging;

import io.opentelemetry.context.Scope;
import io.dmap.service.tracing.RunTracing;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.json.Json;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.config.WorkerConfig;
import io.dmap.worker.execution.BatchExecutor;
import io.dmap.worker.execution.BatchRun;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * {@code map-batches} (group {@code worker.group-id}) → one {@link Lane} per assigned partition → {@link BatchExecutor}.
 * The poll thread owns the consumer: it hands each partition's records to its lane, pauses the partition while the
 * lane holds {@code worker.max-poll-records} batches not yet run and resumes it when half of them have run (their
 * outcomes may still be in flight), and commits the offsets of batches whose outcome is acknowledged, in offset order
 * per partition (at-least-once).
 */
@ApplicationScoped
public class BatchLanes {

    private static final Logger LOG = Logger.getLogger(BatchLanes.class);
    private static final Duration BUSY_POLL = Duration.ofMillis(10);
    /** Asynchronous commits in the poll loop are at most this frequent. */
    private static final Duration COMMIT_EVERY = Duration.ofMillis(100);

    private final KafkaSettings kafka;
    private final WorkerConfig config;
    private final BatchExecutor executor;
    private final RunDefinitions definitions;
    /** A record that is not a batch: nothing to run, nothing to store. */
    private static final BatchRun SKIPPED = BatchRun.ended(CompletableFuture.completedFuture(null));

    private final Map<TopicPartition, Lane> lanes = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private volatile boolean running;
    private volatile long lastPollNanos;
    private volatile int assigned;
    private final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    /** worker.lanes.max: lanes beyond it wait here (their partitions stay paused); null when unlimited. */
    private final Semaphore runSlots;
    /** worker.max-poll-records: a lane holding this many batches not yet run has its partition paused. */
    private final int inHand;
    private long lastCommitNanos;

    public BatchLanes(KafkaSettings kafka, WorkerConfig config, BatchExecutor executor, RunDefinitions definitions) {
        this.kafka = kafka;
        this.definitions = definitions;
        this.config = config;
        this.executor = executor;
        this.runSlots = config.lanes().max() > 0 ? new Semaphore(config.lanes().max(), true) : null;
        this.inHand = Math.max(1, config.maxPollRecords());
    }

    public void start() {
        consumer = new KafkaConsumer<>(kafka.clients().consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                ConsumerConfig.CLIENT_ID_CONFIG, "dmap-worker-" + kafka.workerName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // the planner publishes batches in transactions: never run a batch of an aborted planning attempt
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords(),
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName())),
                new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::pollLoop, "dmap-batch-poll");
        thread.start();
    }

    /** Polling recently (the readiness signal). */
    public boolean polling() {
        return running && thread != null && thread.isAlive()
                && System.nanoTime() - lastPollNanos < Duration.ofSeconds(30).toNanos();
    }

    /** The poll loop ended on its own (not by {@link #stop()}): this worker takes no more batches. */
    public boolean broken() {
        return running && thread != null && !thread.isAlive();
    }

    public int assignedPartitions() {
        return assigned;
    }

    /** Lanes whose child is not over right now, waiting ones included (at most {@link #assignedPartitions()}). */
    public int busyLanes() {
        return busy.get();
    }

    private void pollLoop() {
        try {
            consumer.subscribe(List.of(kafka.topics().batches()), new Rebalance());
            while (running) {
                // while lanes work, their partitions are paused and poll would sit out its whole timeout before tend()
                // resumes a lane that has run its batches: look again soon
                Duration timeout = consumer.paused().isEmpty() ? config.pollTimeout() : BUSY_POLL;
                ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
                lastPollNanos = System.nanoTime();
                assigned = consumer.assignment().size();
                for (TopicPartition tp : records.partitions()) {
                    Lane lane = lanes.computeIfAbsent(tp, p -> new Lane(p, this::handle));
                    lane.submit(records.records(tp));
                    if (lane.queued() >= inHand) {
                        consumer.pause(List.of(tp)); // enough in hand: fetch more when half of it has run
                    }
                }
                tend();
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("the batch poll loop failed; this worker stops taking batches", e);
        } finally {
            drain(new ArrayList<>(lanes.values()));
            lanes.clear();
            consumer.close(Duration.ofSeconds(10));
        }
    }

    /**
     * Seeks back lanes that could not finish a batch, resumes lanes that have run half of what they hold (so that the
     * next records arrive before they run dry), commits finished batches (at most every {@link #COMMIT_EVERY}: a commit
     * is a write on the broker, and a later one covers an earlier).
     */
    private void tend() {
        Set<TopicPartition> paused = consumer.paused();
        for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
            Lane lane = it.next();
            Long failedAt = lane.failedAt();
            if (failedAt != null && lane.idle()) {
                lane.stop();
                consumer.seek(lane.partition(), failedAt);
                commit(List.of(lane), true);
                it.remove();
                consumer.resume(List.of(lane.partition()));
            } else if (failedAt != null && !paused.contains(lane.partition())) {
                consumer.pause(List.of(lane.partition())); // halted: what it would fetch is fetched again after the seek
            } else if (failedAt == null && paused.contains(lane.partition()) && lane.queued() <= inHand / 2) {
                consumer.resume(List.of(lane.partition()));
            }
        }
        long now = System.nanoTime();
        if (now - lastCommitNanos >= COMMIT_EVERY.toNanos()) {
            lastCommitNanos = now;
            commit(lanes.values(), false);
        }
    }

    /**
     * Commits what the lanes have done. In the poll loop asynchronously (the poll thread goes on handing out batches; a
     * failed commit is covered by the next one); synchronously where the partition is about to be given up.
     */
    private void commit(Collection<Lane> done, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Lane lane : done) {
            long offset = lane.doneOffset();
            if (offset >= 0 && lane.complete()) {
                // everything fetched is done: the position, past any transaction markers after the last batch
                offset = Math.max(offset, position(lane.partition()));
            }
            if (offset >= 0 && offset > committed.getOrDefault(lane.partition(), -1L)) {
                offsets.put(lane.partition(), new OffsetAndMetadata(offset));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            if (sync) {
                consumer.commitSync(offsets, Duration.ofSeconds(10));
                offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
            } else {
                consumer.commitAsync(offsets, (ok, e) -> {
                    if (e == null) {
                        // callbacks run on the poll thread, inside poll() or commitSync()
                        ok.forEach((tp, o) -> committed.merge(tp, o.offset(), Math::max));
                    } else {
                        LOG.debugf(e, "commit of %s failed; the next one covers it", ok);
                    }
                });
            }
        } catch (WakeupException e) {
            throw e;
        } catch (RebalanceInProgressException e) {
            LOG.debugf("commit of %s postponed: the group is rebalancing", offsets);
        } catch (RuntimeException e) {
            LOG.warnf(e, "cannot commit %s now; will retry", offsets);
        }
    }

    private long position(TopicPartition tp) {
        try {
            return consumer.position(tp, Duration.ofSeconds(1));
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Stops the lanes (queued batches are not started), lets running ones finish within the drain timeout, commits. */
    private void drain(Collection<Lane> stopping) {
        stopping.forEach(Lane::stop);
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        for (Lane lane : stopping) {
            try {
                lane.awaitOrInterrupt(deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            commit(stopping, true);
        } catch (WakeupException e) {
            commit(stopping, true); // the wakeup was meant for poll()
        }
        stopping.forEach(l -> committed.remove(l.partition()));
    }

    private BatchRun handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        BatchMessage batch;
        try {
            batch = Json.fromBytes(record.value(), BatchMessage.class);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unreadable batch %s at %s-%d offset %d; skipped", record.key(), record.topic(),
                    record.partition(), record.offset());
            return SKIPPED;
        }
        if (batch == null || batch.mapRunId() == null) {
            LOG.errorf("batch %s at %s-%d offset %d has no map run id; skipped", record.key(), record.topic(),
                    record.partition(), record.offset());
            return SKIPPED;
        }
        // a missing definition throws: the lane halts here and the batch is fetched again
        BatchMessage received = batch;
        batch = definitions.complete(batch, Duration.ofSeconds(30), () -> executor.runFinished(received));
        if (runSlots != null) {
            runSlots.acquire(); // interrupted on revocation or shutdown: the batch is handed back, not run
        }
        busy.incrementAndGet();
        BatchRun run;
        try (Scope trace = RunTracing.extract(record.headers()).makeCurrent()) { // the planning span, with tracing on
            run = executor.execute(batch);
        } catch (InterruptedException | RuntimeException e) {
            ran();
            throw e;
        }
        run.ran().whenComplete((ok, e) -> ran()); // a child in a Wait holds its slot, not a thread
        return run;
    }

    /** A lane's child is over: its slot of {@code worker.lanes.max} is free. */
    private void ran() {
        busy.decrementAndGet();
        if (runSlots != null) {
            runSlots.release();
        }
    }

    public void stop() throws InterruptedException {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            thread.join(config.drainTimeout().plusSeconds(30).toMillis());
        }
    }

    /** Runs on the poll thread, inside poll(). */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<Lane> revoked = remove(partitions);
            if (!revoked.isEmpty()) {
                LOG.infof("partitions revoked: %s; finishing their running batches", partitions);
                drain(revoked);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            List<Lane> lost = remove(partitions);
            LOG.warnf("partitions lost: %s; their running batches are interrupted and will run elsewhere", partitions);
            for (Lane lane : lost) {
                lane.stop();
                try {
                    lane.awaitOrInterrupt(System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                committed.remove(lane.partition());
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.infof("partitions assigned: %s", partitions);
            }
        }

        private List<Lane> remove(Collection<TopicPartition> partitions) {
            List<Lane> removed = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                Lane lane = lanes.remove(tp);
                if (lane != null) {
                    removed.add(lane);
                }
            }
            return removed;
        }
    }
}
