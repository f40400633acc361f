package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One child execution walking the compiled model: each state's input/output processing, Assign and Retry/Catch
 * are written once here; the state types only supply their body.
 */
final class Execution {

    /** Where a state leads ({@code next} null: the (sub-)machine ends) and the state's output. */
    record Transition(String next, JsonNode output) { }

    /** The body of a Task, Parallel or Map state: its raw result from its effective input. */
    @FunctionalInterface
    interface Work {
        JsonNode apply(JsonNode effective, Scope entry) throws StatesError, InterruptedException;
    }

    private final StateMachineInterpreter engine;
    private final ExecutionContext context;
    /** {@code $$.Execution.Input}; null only while a {@link ChildRun} is parked. */
    private JsonNode executionInput;
    private final AtomicInteger transitions = new AtomicInteger();
    private final NestedRuns nested;

    Execution(StateMachineInterpreter engine, ExecutionContext context, JsonNode executionInput) {
        this.engine = engine;
        this.context = context;
        this.executionInput = executionInput;
        this.nested = new NestedRuns(this, engine.inline());
    }

    JsonNode executionInput() {
        return executionInput;
    }

    void executionInput(JsonNode input) {
        executionInput = input;
    }

    /** Runs a (sub-)machine to its end, its Waits passing on this thread; transitions count across the whole execution. */
    JsonNode run(StateMachine machine, JsonNode input, Variables variables) throws StatesError, InterruptedException {
        Duration[] wait = {null};
        String name = machine.startAt();
        JsonNode data = input;
        while (true) {
            Transition t = runUntilWait(machine, name, data, variables, wait);
            if (wait[0] != null) {
                engine.sleeper().sleep(wait[0]);
            }
            if (t.next() == null) {
                return t.output();
            }
            name = t.next();
            data = t.output();
        }
    }

    /**
     * Runs a child's top level from state {@code from} until the machine ends, or until a Wait state of this level asks
     * for a positive time (put in {@code waitOut[0]}): returns that state's transition, whose {@code next} is where to
     * go on once the time has passed (null: the machine ends with its output). Transitions count as in {@link #run}.
     */
    Transition runUntilWait(StateMachine machine, String from, JsonNode input, Variables variables, Duration[] waitOut)
            throws StatesError, InterruptedException {
        String name = from;
        JsonNode data = input;
        while (true) {
            countTransition();
            waitOut[0] = null;
            Transition t = step(machine.state(name), data, variables, waitOut);
            if (waitOut[0] != null && (waitOut[0].isZero() || waitOut[0].isNegative())) {
                waitOut[0] = null; // nothing to wait for
            }
            if (t.next() == null || waitOut[0] != null) {
                return t;
            }
            name = t.next();
            data = t.output();
        }
    }

    private void countTransition() throws StatesError {
        if (transitions.incrementAndGet() > StateMachineInterpreter.MAX_TRANSITIONS) {
            throw StatesError.runtime("The execution exceeded " + StateMachineInterpreter.MAX_TRANSITIONS
                    + " state transitions");
        }
    }

    ObjectNode context(String stateName, Instant entered, int retryCount) {
        return context.contextObject(executionInput, stateName, entered, retryCount);
    }

    /**
     * One state. A Wait does not sleep here: its duration goes to {@code waitOut[0]} and the caller lets it pass (a
     * sub-machine on its thread, a child or a parent execution on a timer, holding no thread).
     */
    Transition step(State state, JsonNode input, Variables variables, Duration[] waitOut)
            throws StatesError, InterruptedException {
        try {
            return enter(state, input, variables, waitOut);
        } catch (StatesError e) {
            throw e.inState(state.name());
        }
    }

    private Transition enter(State state, JsonNode input, Variables variables, Duration[] waitOut)
            throws StatesError, InterruptedException {
        Instant entered = engine.clock().instant();
        if (state instanceof DistributedMapState) {
            // compileWhole allows it only at a parent's top level, which the parent engine runs as a map run
            throw StatesError.runtime("A Distributed Map state runs as a map run of its parent execution");
        }
        if (state instanceof TaskState t) {
            return guarded(t, input, variables, entered, (effective, entry) ->
                    engine.tasks().call(t.resource(), effective, timeout(t, entry.withData(effective))));
        }
        if (state instanceof ParallelState p) {
            return guarded(p, input, variables, entered, (effective, entry) -> nested.parallel(p, effective, variables));
        }
        if (state instanceof MapState m) {
            return guarded(m, input, variables, entered, (effective, entry) -> nested.map(m, effective, entry, variables));
        }
        Scope entry = Scope.entry(input, context(state.name(), entered, 0), variables);
        StateFrame frame = state.frame();
        if (state instanceof FailState f) {
            // the user's own error: never prefixed
            throw new StatesError(text(f.error(), entry), text(f.cause(), entry)).asGiven();
        }
        JsonNode effective = frame.io().effectiveInput(entry);
        if (state instanceof ChoiceState c) {
            return choice(c, entry, effective);
        }
        if (state instanceof WaitState w) {
            waitOut[0] = waitDuration(w, entry.withData(effective)); // the caller lets it pass
        }
        JsonNode result = state instanceof PassState p && p.result() != null ? p.result().deepCopy() : effective;
        return finish(frame, entry, frame.io().selectResult(entry, result), false);
    }

    /** Output, then Assign (both on the state's entry values), then the transition. */
    private Transition finish(StateFrame frame, Scope entry, JsonNode selected, boolean hasResult) throws StatesError {
        JsonNode output = frame.io().output(entry, selected, hasResult);
        assign(frame.name(), entry.variables(), frame.io().assignScope(entry, selected, hasResult), frame.assign(), null);
        return new Transition(frame.next(), output);
    }

    private static void assign(String stateName, Variables variables, Scope scope, Assign first, Assign second)
            throws StatesError {
        if (first == null && second == null) {
            return;
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        if (first != null) {
            values.putAll(first.evaluate(scope));
        }
        if (second != null) {
            values.putAll(second.evaluate(scope));
        }
        variables.assign(values, stateName);
    }

    private Transition choice(ChoiceState c, Scope entry, JsonNode effective) throws StatesError {
        Scope scope = entry.withData(effective);
        for (ChoiceRule.Branch b : c.choices()) {
            if (b.rule().matches(scope)) {
                JsonNode output = b.output() != null ? b.output().evaluate(entry) : c.frame().io().output(entry, effective, false);
                assign(c.name(), entry.variables(), c.frame().io().assignScope(entry, effective, false), c.frame().assign(), b.assign());
                return new Transition(b.next(), output);
            }
        }
        if (c.defaultNext() != null) {
            Transition t = finish(c.frame(), entry, effective, false);
            return new Transition(c.defaultNext(), t.output());
        }
        throw new StatesError(StatesError.NO_CHOICE_MATCHED,
                "No Choice Rule matched and no Default is specified in the state '" + c.name() + "'");
    }

    /** A state that does work and may fail: Retry and Catch around everything but States.Runtime errors. */
    private Transition guarded(State state, JsonNode input, Variables variables, Instant entered, Work work)
            throws StatesError, InterruptedException {
        StateFrame frame = state.frame();
        Retrier retrier = new Retrier(state.errors().retriers());
        for (int retryCount = 0; ; retryCount++) {
            Scope entry = Scope.entry(input, context(state.name(), entered, retryCount), variables);
            try {
                JsonNode effective = frame.io().effectiveInput(entry);
                JsonNode result = work.apply(effective, entry);
                return finish(frame, entry, frame.io().selectResult(entry, result), true);
            } catch (StatesError thrown) {
                Handled h = handle(state, entry, variables, retrier, thrown);
                if (h.retryDelay() == null) {
                    return h.transition();
                }
                engine.sleeper().sleep(h.retryDelay());
                countTransition();
            }
        }
    }

    /** What Retry and Catch make of an error: a delay before the next attempt, or a transition (a catcher's). */
    record Handled(Transition transition, Duration retryDelay) { }

    private Handled handle(State state, Scope entry, Variables variables, Retrier retrier, StatesError thrown)
            throws StatesError {
        StatesError e = thrown.inState(state.name());
        if (!e.catchable()) {
            throw e;
        }
        Duration delay = retrier.nextDelay(e.error());
        if (delay != null) {
            return new Handled(null, delay);
        }
        for (Catcher catcher : state.errors().catchers()) {
            if (catcher.matches(e.error())) {
                ObjectNode errorOutput = Json.NODES.objectNode();
                errorOutput.put("Error", e.error());
                errorOutput.put("Cause", e.cause());
                Scope caught = entry.withErrorOutput(errorOutput);
                JsonNode output = catcher.io().output(caught, errorOutput, false);
                assign(state.name(), variables, caught, catcher.assign(), null);
                return new Handled(new Transition(catcher.next(), output), null);
            }
        }
        throw e;
    }

    /**
     * A parent's Distributed Map state whose map run ended: with {@code result} (then ResultSelector, ResultPath,
     * OutputPath or Output, and Assign apply) or with {@code error} (then Retry and Catch).
     */
    Handled resume(State state, JsonNode input, Variables variables, Instant entered, int retryCount, Retrier retrier,
                   JsonNode result, StatesError error) throws StatesError {
        Scope entry = Scope.entry(input, context(state.name(), entered, retryCount), variables);
        try {
            if (error != null) {
                throw error;
            }
            StateFrame frame = state.frame();
            return new Handled(finish(frame, entry, frame.io().selectResult(entry, result), true), null);
        } catch (StatesError thrown) {
            return handle(state, entry, variables, retrier, thrown);
        }
    }

    private static String text(Value value, Scope scope) throws StatesError {
        if (value == null) {
            return null;
        }
        JsonNode v = value.evaluate(scope);
        return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : Json.toString(v);
    }

    private static Duration timeout(TaskState t, Scope scope) throws StatesError {
        return t.timeoutSeconds() == null ? null : Duration.ofSeconds(t.timeoutSeconds().evaluate(scope).longValue());
    }

    private Duration waitDuration(WaitState w, Scope scope) throws StatesError {
        if (w.seconds() != null) {
            return Duration.ofSeconds(w.seconds().evaluate(scope).longValue());
        }
        Instant until = Timestamps.parse(w.timestamp().evaluate(scope).asText());
        Duration d = Duration.between(engine.clock().instant(), until);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
