package io.dmap.worker.execution;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The worker's shared pools of daemon threads, named as thread dumps show them. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /**
     * One thread for short timed tasks. A cancelled task leaves the queue at once, not when it would have run: most
     * of these tasks (one per batch) are cancelled.
     */
    static ScheduledThreadPoolExecutor timer(String name) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** As many threads as tasks at once ({@code prefix-1}, {@code prefix-2}, ...); one idle for {@code idle} ends. */
    public static ExecutorService cached(String prefix, Duration idle) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, idle.toMillis(), TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), r -> daemon(r, prefix + "-" + n.incrementAndGet()));
    }

    /**
     * At most {@code max} threads ({@code prefix-1}, ...); more tasks wait in a queue, first in first out. A thread idle
     * for {@code idle} ends, so an unused pool holds none.
     */
    static ExecutorService bounded(String prefix, int max, Duration idle) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(max, max, idle.toMillis(), TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, prefix + "-" + n.incrementAndGet()));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
