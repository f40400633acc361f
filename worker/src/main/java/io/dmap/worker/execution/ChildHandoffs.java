package io.dmap.worker.execution;

import io.dmap.common.events.ChildHandoff;

import java.util.concurrent.CompletableFuture;

/**
 * Where a child execution that starts nested map runs goes instead of running on the lane: the planner's parent
 * engine. {@link #handOff} completes once the handoff is durably stored (then the batch's offset may be committed),
 * exceptionally when it cannot be (the batch is run again, and hands off the same record).
 */
@FunctionalInterface
public interface ChildHandoffs {

    CompletableFuture<Void> handOff(ChildHandoff child);

    /** The handoff can never be stored (bigger than the broker takes): the child fails instead of being retried. */
    final class TooLarge extends RuntimeException {
        public TooLarge(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
