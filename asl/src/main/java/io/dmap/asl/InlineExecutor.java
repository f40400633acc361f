package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs Parallel branches and inline Map iterations concurrently, bounded per worker by {@code permits} extra
 * threads shared by every execution. The calling thread always works too, so nested Parallel/Map states never
 * wait for a thread that cannot come (no deadlock when the permits are used up: work then runs on the caller).
 * The first failure cancels (interrupts) the rest; results come back in order.
 */
final class InlineExecutor {

    /** One unit of work: a branch or an iteration, by index. */
    @FunctionalInterface
    interface Job {
        JsonNode run(int index) throws StatesError, InterruptedException;
    }

    private final Semaphore permits;
    private final ExecutorService threads;

    InlineExecutor(int maxThreads) {
        this.permits = new Semaphore(Math.max(0, maxThreads));
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dmap-inline");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs jobs 0..n-1, at most {@code concurrency} at a time; returns their results in index order. */
    List<JsonNode> runAll(int n, int concurrency, Job job) throws StatesError, InterruptedException {
        Run run = new Run(n, job, Thread.currentThread());
        try {
            for (int i = 1; i < Math.min(n, concurrency) && run.failure.get() == null; i++) {
                if (!permits.tryAcquire()) {
                    break;
                }
                run.lanes.add(threads.submit(() -> {
                    try {
                        run.work();
                    } finally {
                        permits.release();
                    }
                }));
            }
            run.work();
            run.callerDone();
            for (Future<?> f : run.lanes) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    run.fail(e.getCause());
                } catch (CancellationException e) {
                    // cancelled after another job failed
                }
            }
        } finally {
            // interrupted, or a job failed: stop the others (no-op for those already done)
            run.lanes.forEach(f -> f.cancel(true));
            run.callerDone();
        }
        Throwable t = run.failure.get();
        if (t instanceof StatesError se) {
            throw se;
        }
        if (t instanceof InterruptedException ie) {
            throw ie;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return List.of(run.results);
    }

    /** The shared state of one runAll: next index, results, the first failure, the lanes to cancel on it. */
    private static final class Run {
        final int n;
        final Job job;
        final JsonNode[] results;
        final AtomicInteger nextIndex = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Future<?>> lanes = new CopyOnWriteArrayList<>();
        private final Thread caller;
        private boolean callerWorking = true;
        private boolean callerInterruptedByUs;

        Run(int n, Job job, Thread caller) {
            this.n = n;
            this.job = job;
            this.results = new JsonNode[n];
            this.caller = caller;
        }

        void work() {
            while (failure.get() == null) {
                int i = nextIndex.getAndIncrement();
                if (i >= n) {
                    return;
                }
                try {
                    results[i] = job.run(i);
                } catch (InterruptedException e) {
                    fail(e);
                    return;
                } catch (StatesError | RuntimeException | Error e) {
                    fail(e);
                    return;
                }
            }
        }

        /** Records the first failure and stops every other job, the caller's included. */
        void fail(Throwable t) {
            if (!failure.compareAndSet(null, t)) {
                return;
            }
            lanes.forEach(f -> f.cancel(true));
            synchronized (this) {
                if (callerWorking && Thread.currentThread() != caller) {
                    callerInterruptedByUs = true;
                    caller.interrupt();
                }
            }
        }

        /** The caller left its own work: an interrupt we sent it must not outlive this run. */
        synchronized void callerDone() {
            callerWorking = false;
            if (callerInterruptedByUs) {
                callerInterruptedByUs = false;
                Thread.interrupted();
            }
        }
    }
}
