package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * A child execution run in steps, so that its caller need not hold a thread while it waits: {@link #advance()} runs
 * states until the execution ends or enters a Wait state of its top level, and gives back the Wait's time. The caller
 * lets that time pass however it likes (a timer) and advances again. Waits inside a Parallel branch or an inline Map
 * iteration, and the intervals between retries, still pass on the calling thread (they are inside one state).
 * Not thread-safe: one caller advances it at a time.
 */
public final class ChildRun {

    /** Where an {@link #advance()} stopped. */
    public sealed interface Progress permits Waiting, Ended {
    }

    /** A top-level Wait state was entered: advance again once {@code duration} (positive) has passed. */
    public record Waiting(Duration duration) implements Progress {
    }

    /** The execution is over (never advance again). */
    public record Ended(ExecutionResult result) implements Progress {
    }

    private final Execution execution;
    private final StateMachine machine;
    private final Variables variables = Variables.root();
    /** The state to enter next; null once the last state (a Wait with End) has run. */
    private String next;
    private JsonNode data;
    private boolean ended;

    ChildRun(Execution execution, StateMachine machine, JsonNode input) {
        this.execution = execution;
        this.machine = machine;
        this.next = machine.startAt();
        this.data = input;
    }

    /** Runs on until the execution ends or waits. Never throws: whatever goes wrong ends it as a failed execution. */
    public Progress advance() {
        if (ended) {
            throw new IllegalStateException("the execution has ended");
        }
        if (next == null) {
            return end(ExecutionResult.succeeded(data)); // it ended in the Wait just passed
        }
        try {
            Duration[] wait = {null};
            Execution.Transition t = execution.runUntilWait(machine, next, data, variables, wait);
            next = t.next();
            data = t.output();
            if (wait[0] != null) {
                return new Waiting(wait[0]);
            }
            return end(ExecutionResult.succeeded(t.output()));
        } catch (StatesError e) {
            return end(ExecutionResult.failed(e.error(), e.cause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return end(ExecutionResult.interrupted());
        } catch (RuntimeException | StackOverflowError e) {
            return end(ExecutionResult.failed(StatesError.RUNTIME, "Unexpected error: " + e));
        }
    }

    private Ended end(ExecutionResult result) {
        ended = true;
        data = null;
        return new Ended(result);
    }
}
