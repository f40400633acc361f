package io.dmap.worker.messaging;

import io.dmap.worker.execution.BatchRun;
import io.dmap.worker.execution.DaemonThreads;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One partition of map-batches, worked serially: one batch at a time, in offset order (the MaxConcurrency contract).
 * The lane borrows a pooled thread while it starts batches and gives it back while a batch's child waits in a Wait
 * state (the child holds no thread then, see {@link BatchRun}), so a worker that holds thousands of partitions has
 * threads only for the children that run right now. The next batch starts when the child before it is over; the lane
 * does not wait for the broker to acknowledge the outcome, and keeps the batches whose outcome is still in flight in
 * offset order. {@link #doneOffset()} (what the poll thread commits) only moves past a batch once its outcome and those
 * of every earlier batch are acknowledged; an outcome that cannot be stored halts the lane at that batch
 * ({@link #failedAt()}), so it and every later batch are fetched and run again (at-least-once; the aggregator drops
 * the duplicates).
 */
final class Lane {

    /**
     * Starts one record's batch; its {@link BatchRun#stored()} completes exceptionally when the record must run again
     * (the child was cut short, or the outcome could not be stored).
     */
    @FunctionalInterface
    interface RecordHandler {
        BatchRun handle(ConsumerRecord<String, byte[]> record) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(Lane.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);
    private static final Duration IDLE_THREAD = Duration.ofSeconds(10);
    /** Shared by every lane of the worker; an idle thread ends after {@link #IDLE_THREAD}. */
    private static final ExecutorService THREADS = DaemonThreads.cached("dmap-lane", IDLE_THREAD);

    private final TopicPartition partition;
    private final RecordHandler handler;
    /** Batches run whose outcome is not yet acknowledged, in offset order; guarded by {@code this}. */
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    /** Records handed to the lane and not yet started; guarded by {@code this}. */
    private final Deque<ConsumerRecord<String, byte[]>> waiting = new ArrayDeque<>();
    /** Records handed to the lane whose child is not over (started or not); guarded by {@code this}. */
    private int queued;
    /** A thread starts this lane's batches, or one of its children is not over; guarded by {@code this}. */
    private boolean active;
    /** The thread starting this lane's batches right now, and the batch whose child is not over; guarded by {@code this}. */
    private Thread runner;
    private BatchRun current;
    private volatile boolean stopped;
    private volatile long doneOffset = -1;
    private volatile Long failedAt;

    /** Only the key and offset of the record: its value would be kept while a child waits. */
    private static final class InFlight {
        final String key;
        final long offset;
        boolean acked;

        InFlight(String key, long offset) {
            this.key = key;
            this.offset = offset;
        }
    }

    Lane(TopicPartition partition, RecordHandler handler) {
        this.partition = partition;
        this.handler = handler;
    }

    void submit(List<ConsumerRecord<String, byte[]>> records) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            waiting.addAll(records);
            queued += records.size();
            if (active) {
                return; // the runner, or the end of the current child, starts them
            }
            active = true;
        }
        THREADS.execute(this::pump);
    }

    /** Starts batches one after another until none is left or one's child waits (then its end pumps again). */
    private void pump() {
        Thread thread = Thread.currentThread();
        String name = thread.getName();
        thread.setName("dmap-lane-" + partition);
        try {
            while (true) {
                ConsumerRecord<String, byte[]> record;
                synchronized (this) {
                    if (stopped || waiting.isEmpty()) {
                        active = false;
                        runner = null;
                        notifyAll();
                        return;
                    }
                    record = waiting.removeFirst();
                    runner = thread;
                }
                BatchRun run = start(record);
                synchronized (this) {
                    runner = null;
                    if (!run.ran().toCompletableFuture().isDone()) {
                        current = run;
                        run.ran().whenComplete((ok, e) -> over(run));
                        return; // over() goes on, on another pooled thread
                    }
                    queued--;
                    notifyAll();
                }
            }
        } finally {
            Thread.interrupted(); // an interrupt meant for this lane's batch (runner is null now: no more come)
            thread.setName(name);
        }
    }

    /** The child of {@code run} is over: the lane starts its next batch, or rests. */
    private void over(BatchRun run) {
        synchronized (this) {
            if (current != run) {
                return;
            }
            current = null;
            queued--;
            notifyAll();
            if (stopped || waiting.isEmpty()) {
                active = false;
                return;
            }
        }
        THREADS.execute(this::pump);
    }

    /** Starts the batch; one that fails to start counts as run, its outcome not stored. */
    private BatchRun start(ConsumerRecord<String, byte[]> record) {
        InFlight batch = new InFlight(record.key(), record.offset());
        synchronized (this) {
            inFlight.addLast(batch);
        }
        try {
            BatchRun run = handler.handle(record);
            run.stored().whenComplete((ok, e) -> settled(batch, e));
            return run;
        } catch (InterruptedException e) {
            settled(batch, e);
        } catch (Exception e) {
            LOG.errorf(e, "batch %s at %s offset %d failed; it will be fetched again", record.key(), partition, record.offset());
            pause();
            settled(batch, e);
        }
        return BatchRun.ended(CompletableFuture.completedFuture(null));
    }

    /** The outcome of {@code batch} is stored ({@code failure} null) or will not be: moves the done offset or halts. */
    private synchronized void settled(InFlight batch, Throwable failure) {
        if (failure != null) {
            if (!(failure instanceof InterruptedException) && !(failure.getCause() instanceof InterruptedException)) {
                LOG.errorf(failure, "the outcome of batch %s at %s offset %d was not stored; it will be fetched again",
                        batch.key, partition, batch.offset);
            }
            halt(batch.offset);
            inFlight.remove(batch);
        } else {
            batch.acked = true;
            // never past a batch that must run again: everything from failedAt on is fetched again
            while (!inFlight.isEmpty() && inFlight.peekFirst().acked
                    && (failedAt == null || inFlight.peekFirst().offset < failedAt)) {
                doneOffset = inFlight.removeFirst().offset + 1;
            }
        }
        notifyAll();
    }

    /** A failure (usually the broker being unreachable) is not retried in a hot loop. */
    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Later records are not started: the poll thread seeks back to the earliest batch that must run again. */
    private synchronized void halt(long offset) {
        if (failedAt == null || offset < failedAt) {
            failedAt = offset;
        }
        stop();
    }

    TopicPartition partition() {
        return partition;
    }

    /** No batch queued, running, or waiting for its outcome's acknowledgement. */
    synchronized boolean idle() {
        return queued == 0 && inFlight.stream().allMatch(b -> b.acked);
    }

    /** No batch queued or running (outcomes may still be in flight). */
    synchronized boolean hungry() {
        return queued == 0;
    }

    /** Batches handed to the lane whose child is not over (the one running or waiting included). */
    synchronized int queued() {
        return queued;
    }

    /** Every batch handed to this lane has its outcome stored (none queued, none running, none halted). */
    boolean complete() {
        return idle() && !stopped && failedAt == null;
    }

    /** The offset to commit (one past the last batch whose outcome, and every earlier one's, is stored), -1 when none is. */
    long doneOffset() {
        return doneOffset;
    }

    /** The offset of a batch that did not complete, so it and later ones must be fetched again; null when none. */
    Long failedAt() {
        return failedAt;
    }

    /** Queued batches are never started; a running (or waiting) one goes on. */
    synchronized void stop() {
        stopped = true;
        queued -= waiting.size();
        waiting.clear();
        notifyAll();
    }

    /**
     * After {@link #stop()}: waits for the batch whose child is not over until {@code deadline} nanos, then cuts it
     * short (it will run again); then waits (to the same deadline, at least a moment) for the outcomes in flight, so
     * that what is committed is complete.
     */
    void awaitOrInterrupt(long deadlineNanos) throws InterruptedException {
        Thread running;
        BatchRun child;
        synchronized (this) {
            awaitRest(deadlineNanos);
            if (!active) {
                running = null;
                child = null;
            } else {
                running = runner;
                child = current;
            }
        }
        if (running != null || child != null) {
            LOG.warnf("the batch running on %s did not finish in time; interrupting it (it will run again)", partition);
            if (running != null) {
                running.interrupt();
            }
            if (child != null) {
                child.cancel();
            }
            synchronized (this) {
                if (!awaitRest(System.nanoTime() + Duration.ofSeconds(10).toNanos())) {
                    LOG.errorf("the lane of %s did not stop after an interrupt", partition);
                }
            }
        }
        long acksDeadline = Math.max(deadlineNanos, System.nanoTime() + Duration.ofSeconds(5).toNanos());
        synchronized (this) {
            while (inFlight.stream().anyMatch(b -> !b.acked) && System.nanoTime() < acksDeadline) {
                TimeUnit.NANOSECONDS.timedWait(this, acksDeadline - System.nanoTime());
            }
        }
    }

    /** Waits (holding the lock) until no thread works for the lane and no child of it is left, or the deadline. */
    private boolean awaitRest(long deadlineNanos) throws InterruptedException {
        while (active && System.nanoTime() < deadlineNanos) {
            TimeUnit.NANOSECONDS.timedWait(this, deadlineNanos - System.nanoTime());
        }
        return !active;
    }
}
