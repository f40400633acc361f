package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs a whole state machine's top level one state at a time, so that a parent execution can be kept in a record
 * between states and suspended where it must wait: at a Distributed Map state (its map run), at a Wait state (a
 * timer), before a retry of a map run. Every value it needs comes in a {@link Position} (the state, its input, the
 * variables, the retry counts) and every result goes out in a {@link Step}, so the caller can store both and resume
 * after a restart. Pass, Task, Choice, Succeed, Fail, Parallel and inline Map states run as in a child execution
 * ({@link StateMachineInterpreter}): a Task holds the calling thread for its call and its retries.
 */
public final class ParentInterpreter {

    /**
     * Where a parent execution is: entering {@code state} with {@code input}, the top-level {@code variables}; for a
     * Distributed Map state waiting for its map run also when it was entered, its retry count and each retrier's
     * attempts so far.
     */
    public record Position(String state, JsonNode input, Map<String, JsonNode> variables, Instant enteredTime,
                           int retryCount, List<Integer> retrierAttempts) {

        public static Position entering(String state, JsonNode input, Map<String, JsonNode> variables, Instant at) {
            return new Position(state, input, variables, at, 0, List.of());
        }
    }

    /** What one step gives. */
    public sealed interface Step permits Next, Succeeded, Failed, StartMapRun {
    }

    /** Go on with {@code state}; {@code waitFor} (null when none) is a Wait state's time to pass first. */
    public record Next(String state, JsonNode input, Map<String, JsonNode> variables, Duration waitFor) implements Step {
    }

    /**
     * The execution ends with {@code output}; {@code waitFor} (null when none) is the time an ending Wait state
     * passes first.
     */
    public record Succeeded(JsonNode output, Duration waitFor) implements Step {

        public Succeeded(JsonNode output) {
            this(output, null);
        }
    }

    public record Failed(String error, String cause) implements Step {
    }

    /**
     * Start the map run of {@code state} on {@code input} (the state's raw input: the run applies InputPath itself),
     * after {@code delay} (a retry's interval; zero on entry); {@code retryCount} and {@code retrierAttempts} go into
     * the Position the run's outcome is resumed at.
     */
    public record StartMapRun(DistributedMapState state, JsonNode input, int retryCount, List<Integer> retrierAttempts,
                              Duration delay) implements Step {
    }

    private final StateMachineInterpreter engine;

    public ParentInterpreter(StateMachineInterpreter engine) {
        this.engine = engine;
    }

    /** Runs the state at {@code at} (or, for a Distributed Map, says to start its run). */
    public Step step(StateMachine machine, Position at, ExecutionContext context, JsonNode executionInput)
            throws InterruptedException {
        State state = machine.state(at.state());
        if (state == null) {
            return new Failed(StatesError.RUNTIME, "The state machine has no state '" + at.state() + "'");
        }
        if (state instanceof DistributedMapState d) {
            return new StartMapRun(d, at.input(), 0, List.of(), Duration.ZERO);
        }
        Variables variables = Variables.restore(at.variables());
        Duration[] wait = {null};
        try {
            Execution.Transition t = new Execution(engine, context, executionInput)
                    .step(state, at.input(), variables, wait);
            return transition(t, variables, wait[0]);
        } catch (StatesError e) {
            return new Failed(e.error(), e.cause());
        } catch (RuntimeException | StackOverflowError e) {
            return new Failed(StatesError.RUNTIME, "Unexpected error: " + e);
        }
    }

    /**
     * The map run of the Distributed Map state at {@code at} ended: with {@code result} ({@code error} null), or
     * failed with {@code error} and {@code cause}. Applies ResultSelector, ResultPath, OutputPath (Output), Assign, or
     * Retry (a new {@link StartMapRun}) and Catch.
     */
    public Step resume(StateMachine machine, Position at, ExecutionContext context, JsonNode executionInput,
                       JsonNode result, String error, String cause) {
        if (!(machine.state(at.state()) instanceof DistributedMapState state)) {
            return new Failed(StatesError.RUNTIME, "The state '" + at.state() + "' is not a Distributed Map state");
        }
        Variables variables = Variables.restore(at.variables());
        Retrier retrier = new Retrier(state.errors().retriers(), at.retrierAttempts());
        try {
            Execution.Handled h = new Execution(engine, context, executionInput).resume(state, at.input(), variables,
                    at.enteredTime(), at.retryCount(), retrier, result, error == null ? null : new StatesError(error, cause));
            if (h.retryDelay() != null) {
                return new StartMapRun(state, at.input(), at.retryCount() + 1, retrier.attempts(), h.retryDelay());
            }
            return transition(h.transition(), variables, null);
        } catch (StatesError e) {
            return new Failed(e.error(), e.cause());
        } catch (RuntimeException e) {
            return new Failed(StatesError.RUNTIME, "Unexpected error: " + e);
        }
    }

    private static Step transition(Execution.Transition t, Variables variables, Duration wait) {
        if (t.next() == null) {
            return new Succeeded(t.output(), wait);
        }
        return new Next(t.next(), t.output(), variables.visible(), wait);
    }
}
