package io.dmap.worker.execution;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One batch handed to {@link BatchExecutor#execute}: its child execution, then its outcome. Two moments matter to the
 * lane: {@link #ran()}, when the child is over and the lane may start its next batch (a child in a Wait state is not
 * over, but holds no thread), and {@link #stored()}, when the outcome is acknowledged and the batch may be committed.
 */
public final class BatchRun {

    private final CompletableFuture<Void> ran = new CompletableFuture<>();
    private final CompletableFuture<Void> stored = new CompletableFuture<>();
    /** What {@link #cancel()} does to a child that is not over; null once it is, or for a batch that never ran. */
    private volatile Runnable canceller;

    BatchRun() {
    }

    /** A batch whose child is already over (or never ran): {@code stored} is the acknowledgement of its outcome. */
    public static BatchRun ended(CompletionStage<Void> stored) {
        BatchRun run = new BatchRun();
        run.over(stored);
        return run;
    }

    /** Completes when the child is over: the lane may start its next batch. Never exceptional. */
    public CompletionStage<Void> ran() {
        return ran;
    }

    /**
     * Completes when the batch's outcome is stored; exceptionally when it is not, or when the child was cut short
     * without an outcome (the worker is stopping): then the batch must run again.
     */
    public CompletionStage<Void> stored() {
        return stored;
    }

    /** The worker gives the batch up: a child that is not over ends without an outcome (it runs again elsewhere). */
    public void cancel() {
        Runnable c = canceller;
        if (c != null) {
            c.run();
        }
    }

    void cancelWith(Runnable canceller) {
        this.canceller = canceller;
    }

    /** The child is over; {@code outcome} is the acknowledgement of what it reported. */
    void over(CompletionStage<Void> outcome) {
        canceller = null;
        outcome.whenComplete((ok, e) -> {
            if (e == null) {
                stored.complete(null);
            } else {
                stored.completeExceptionally(e);
            }
        });
        ran.complete(null);
    }
}
