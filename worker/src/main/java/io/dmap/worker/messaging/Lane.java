package io.dmap.worker.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One partition of map-batches, worked serially on its own thread (started when it has batches, ended when idle): one
 * batch at a time, in offset order (the MaxConcurrency contract). The lane does not wait for the broker to acknowledge a batch's outcome: it starts the next
 * batch at once, and keeps the batches whose outcome is still in flight in offset order. {@link #doneOffset()} (what the
 * poll thread commits) only moves past a batch once its outcome and those of every earlier batch are acknowledged; an
 * outcome that cannot be stored halts the lane at that batch ({@link #failedAt()}), so it and every later batch are
 * fetched and run again (at-least-once; the aggregator drops the duplicates).
 */
final class Lane {

    /**
     * Runs one record and hands its outcome over; the stage completes when the outcome is stored, exceptionally when
     * the record must run again (interrupted, or the outcome could not be stored).
     */
    @FunctionalInterface
    interface RecordHandler {
        CompletionStage<?> handle(ConsumerRecord<String, byte[]> record) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(Lane.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);
    private static final Duration IDLE_THREAD = Duration.ofSeconds(10);

    private final TopicPartition partition;
    private final RecordHandler handler;
    private final ExecutorService thread;
    /** Batches run whose outcome is not yet acknowledged, in offset order; guarded by {@code this}. */
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    /** Records handed to the lane and not yet run; guarded by {@code this}. */
    private int queued;
    private volatile boolean stopped;
    private volatile long doneOffset = -1;
    private volatile Long failedAt;

    private static final class InFlight {
        final long offset;
        boolean acked;

        InFlight(long offset) {
            this.offset = offset;
        }
    }

    Lane(TopicPartition partition, RecordHandler handler) {
        this.partition = partition;
        this.handler = handler;
        // one thread at most, in submission order; it ends after IDLE_THREAD of nothing to run, so a worker that holds
        // thousands of partitions has threads only for the lanes that have batches
        ThreadPoolExecutor lane = new ThreadPoolExecutor(1, 1, IDLE_THREAD.toMillis(), TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> new Thread(r, "dmap-lane-" + partition));
        lane.allowCoreThreadTimeOut(true);
        this.thread = lane;
    }

    void submit(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            synchronized (this) {
                queued++;
            }
            thread.execute(() -> run(r));
        }
    }

    private void run(ConsumerRecord<String, byte[]> record) {
        InFlight batch = new InFlight(record.offset());
        try {
            if (stopped) {
                return;
            }
            synchronized (this) {
                inFlight.addLast(batch);
            }
            handler.handle(record).whenComplete((ok, e) -> settled(batch, record, e));
        } catch (InterruptedException e) {
            settled(batch, record, e);
        } catch (Exception e) {
            LOG.errorf(e, "batch %s at %s offset %d failed; it will be fetched again", record.key(), partition, record.offset());
            pause();
            settled(batch, record, e);
        } finally {
            synchronized (this) {
                queued--;
                notifyAll();
            }
        }
    }

    /** The outcome of {@code batch} is stored ({@code failure} null) or will not be: moves the done offset or halts. */
    private synchronized void settled(InFlight batch, ConsumerRecord<String, byte[]> record, Throwable failure) {
        if (failure != null) {
            if (!(failure instanceof InterruptedException) && !(failure.getCause() instanceof InterruptedException)) {
                LOG.errorf(failure, "the outcome of batch %s at %s offset %d was not stored; it will be fetched again",
                        record.key(), partition, record.offset());
            }
            halt(record.offset());
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
        stopped = true;
        if (failedAt == null || offset < failedAt) {
            failedAt = offset;
        }
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

    /** Batches handed to the lane and not yet run (the one running included). */
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

    /** Queued batches are never started; a running one goes on. */
    void stop() {
        stopped = true;
        thread.shutdown();
    }

    /**
     * After {@link #stop()}: waits for the running batch until {@code deadline} nanos, then interrupts it; then waits
     * (to the same deadline, at least a moment) for the outcomes in flight, so that what is committed is complete.
     */
    void awaitOrInterrupt(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        if (!thread.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
            LOG.warnf("the batch running on %s did not finish in time; interrupting it (it will run again)", partition);
            thread.shutdownNow();
            if (!thread.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.errorf("the lane of %s did not stop after an interrupt", partition);
            }
        }
        long acksDeadline = Math.max(deadlineNanos, System.nanoTime() + Duration.ofSeconds(5).toNanos());
        synchronized (this) {
            while (inFlight.stream().anyMatch(b -> !b.acked) && System.nanoTime() < acksDeadline) {
                TimeUnit.NANOSECONDS.timedWait(this, acksDeadline - System.nanoTime());
            }
        }
    }
}
