package io.dmap.worker.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One partition of map-batches, worked serially on its own thread: one batch at a time, in offset order.
 * The poll thread reads {@link #doneOffset()} to commit and {@link #failedAt()} to seek back.
 */
final class Lane {

    /** Handles one record; false when it must be run again later (interrupted), true when its outcome is stored. */
    @FunctionalInterface
    interface RecordHandler {
        boolean handle(ConsumerRecord<String, byte[]> record) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(Lane.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    private final TopicPartition partition;
    private final RecordHandler handler;
    private final ExecutorService thread;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean stopped;
    private volatile long doneOffset = -1;
    private volatile Long failedAt;

    Lane(TopicPartition partition, RecordHandler handler) {
        this.partition = partition;
        this.handler = handler;
        this.thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "dmap-lane-" + partition));
    }

    void submit(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            pending.incrementAndGet();
            thread.execute(() -> run(r));
        }
    }

    private void run(ConsumerRecord<String, byte[]> record) {
        try {
            if (stopped) {
                return;
            }
            if (handler.handle(record)) {
                doneOffset = record.offset() + 1;
            } else {
                halt(record);
            }
        } catch (InterruptedException e) {
            halt(record);
        } catch (Exception e) {
            LOG.errorf(e, "batch %s at %s offset %d failed; it will be fetched again", record.key(), partition, record.offset());
            pause();
            halt(record);
        } finally {
            pending.decrementAndGet();
        }
    }

    /** A failure (usually the broker being unreachable) is not retried in a hot loop. */
    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Later records are not started: the poll thread seeks back to this one. */
    private void halt(ConsumerRecord<String, byte[]> record) {
        stopped = true;
        if (failedAt == null) {
            failedAt = record.offset();
        }
    }

    TopicPartition partition() {
        return partition;
    }

    boolean idle() {
        return pending.get() == 0;
    }

    /** Every batch handed to this lane has its outcome stored (none queued, none running, none halted). */
    boolean complete() {
        return idle() && !stopped && failedAt == null;
    }

    /** The offset to commit (one past the last batch whose outcome is stored), -1 when none is. */
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

    /** After {@link #stop()}: waits for the running batch until {@code deadline} nanos, then interrupts it. */
    void awaitOrInterrupt(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        if (thread.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
            return;
        }
        LOG.warnf("the batch running on %s did not finish in time; interrupting it (it will run again)", partition);
        thread.shutdownNow();
        if (!thread.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.errorf("the lane of %s did not stop after an interrupt", partition);
        }
    }
}
