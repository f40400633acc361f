package io.dmap.worker.execution;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * While a child execution runs on the calling thread, checks now and then whether its run has stopped, and if so
 * interrupts that thread (Wait, retry pauses and Task calls all give way to an interrupt). {@link #close()} runs on
 * the same thread and clears an interrupt that arrived too late to matter.
 */
final class AbortWatch implements AutoCloseable {

    private static final ScheduledThreadPoolExecutor CHECKS = DaemonThreads.timer("dmap-abort-watch");

    private final Thread thread = Thread.currentThread();
    private final BooleanSupplier stopped;
    private boolean active = true;
    private volatile boolean fired;
    private ScheduledFuture<?> task;

    private AbortWatch(BooleanSupplier stopped) {
        this.stopped = stopped;
    }

    static AbortWatch start(BooleanSupplier stopped, Duration interval) {
        AbortWatch watch = new AbortWatch(stopped);
        long ms = Math.max(1, interval.toMillis());
        watch.task = CHECKS.scheduleWithFixedDelay(watch::check, ms, ms, TimeUnit.MILLISECONDS);
        return watch;
    }

    private synchronized void check() {
        if (active && !fired && stopped.getAsBoolean()) {
            fired = true;
            thread.interrupt();
        }
    }

    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        synchronized (this) {
            active = false;
        }
        task.cancel(false);
        if (fired) {
            Thread.interrupted();
        }
    }
}
