package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

import java.time.Duration;

/**
 * A child execution run in steps, so that its caller need not hold a thread while it waits: {@link #advance()} runs
 * states until the execution ends or enters a Wait state of its top level, and gives back the Wait's time. The caller
 * lets that time pass however it likes (a timer) and advances again. Waits inside a Parallel branch or an inline Map
 * iteration, and the intervals between retries, still pass on the calling thread (they are inside one state).
 * A caller that waits long can {@link #park()} it meanwhile: its data is then held as JSON text, a fraction of the
 * tree's size. Not thread-safe: one caller advances it at a time.
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
    /** While parked: the data as JSON, and the execution's input as JSON unless it is the data itself. */
    private byte[] parkedData;
    private byte[] parkedInput;

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
        unpark();
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

    /**
     * Until the next {@link #advance()}, holds the execution's data and input as JSON text instead of trees (what a
     * worker keeps for each of thousands of children in a long Wait). Equal values come back, not the same instances.
     */
    public void park() {
        if (ended || parkedData != null) {
            return;
        }
        JsonNode input = execution.executionInput();
        parkedData = Json.toBytes(data);
        parkedInput = input == data ? null : Json.toBytes(input);
        data = null;
        execution.executionInput(null);
    }

    /** The execution's input ({@code $$.Execution.Input}); while parked, a copy read from its JSON text. */
    public JsonNode input() {
        if (parkedData == null) {
            return execution.executionInput();
        }
        return Json.fromBytes(parkedInput != null ? parkedInput : parkedData, JsonNode.class);
    }

    private void unpark() {
        if (parkedData == null) {
            return;
        }
        data = Json.fromBytes(parkedData, JsonNode.class);
        execution.executionInput(parkedInput == null ? data : Json.fromBytes(parkedInput, JsonNode.class));
        parkedData = null;
        parkedInput = null;
    }

    private Ended end(ExecutionResult result) {
        ended = true;
        data = null;
        return new Ended(result);
    }
}
