package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StateMachineParser;
import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs a child state machine (the ItemProcessor: {@code StartAt}, {@code States}) on one input. Never throws:
 * whatever goes wrong, including a bad definition, ends as a failed execution with an error and a cause.
 */
public final class StateMachineInterpreter {

    /** A machine that loops forever fails instead of holding its lane (AWS caps history at 25,000 events). */
    static final int MAX_TRANSITIONS = 25_000;

    private final TaskStep tasks;
    private final GuardedStep guarded;
    private final Sleeper sleeper;
    private final Clock clock;

    public StateMachineInterpreter(TaskResource resources, Sleeper sleeper, Clock clock) {
        this.tasks = new TaskStep(resources);
        this.guarded = new GuardedStep(sleeper);
        this.sleeper = sleeper;
        this.clock = clock;
    }

    public StateMachineInterpreter(TaskResource resources) {
        this(resources, Sleeper.REAL, Clock.systemUTC());
    }

    public ExecutionResult run(JsonNode machine, JsonNode input, ExecutionContext execution) {
        try {
            return ExecutionResult.succeeded(execute(machine, input == null ? Json.NODES.objectNode() : input, execution));
        } catch (StatesError e) {
            return ExecutionResult.failed(e.error(), e.cause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExecutionResult.interrupted();
        } catch (SpecException e) {
            return ExecutionResult.failed(StatesError.RUNTIME, "Invalid state machine: " + e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return ExecutionResult.failed(StatesError.RUNTIME, "Unexpected error: " + e);
        }
    }

    private JsonNode execute(JsonNode machine, JsonNode input, ExecutionContext execution)
            throws StatesError, InterruptedException {
        StateMachineParser.validate(machine, "ItemProcessor");
        return runMachine(machine, input, input, execution, new int[1]);
    }

    /** Runs a (validated) machine or sub-machine; {@code transitions} counts across the whole execution. */
    private JsonNode runMachine(JsonNode machine, JsonNode input, JsonNode executionInput, ExecutionContext execution,
                                int[] transitions) throws StatesError, InterruptedException {
        JsonNode states = machine.get("States");
        String name = machine.get("StartAt").asText();
        JsonNode data = input;
        NestedSteps nested = new NestedSteps((sub, subInput) -> runMachine(sub, subInput, executionInput, execution, transitions));
        while (true) {
            if (++transitions[0] > MAX_TRANSITIONS) {
                throw StatesError.runtime("The execution exceeded " + MAX_TRANSITIONS + " state transitions");
            }
            Transition t = step(new StateRun(name, states.get(name), data, executionInput, execution, clock.instant()), nested);
            if (t.next() == null) {
                return t.output();
            }
            name = t.next();
            data = t.output();
        }
    }

    private Transition step(StateRun run, NestedSteps nested) throws StatesError, InterruptedException {
        JsonNode state = run.state();
        JsonNode ctx = run.context(0);
        return switch (state.get("Type").asText()) {
            case "Pass" -> pass(run, ctx);
            case "Task" -> guarded.run(run, tasks.work(state));
            case "Parallel" -> guarded.run(run, nested.parallel(state));
            case "Map" -> guarded.run(run, nested.map(state));
            case "Choice" -> choice(run, ctx);
            case "Wait" -> {
                JsonNode effective = DataPaths.inputPath(state, run.input(), ctx);
                sleeper.sleep(waitDuration(state, effective, ctx));
                yield Transition.after(state, DataPaths.outputPath(state, effective, ctx));
            }
            case "Succeed" -> new Transition(null,
                    DataPaths.outputPath(state, DataPaths.inputPath(state, run.input(), ctx), ctx));
            case "Fail" -> throw fail(state, run.input(), ctx);
            default -> throw StatesError.runtime("Unsupported state type " + state.get("Type"));
        };
    }

    private static Transition pass(StateRun run, JsonNode ctx) throws StatesError {
        JsonNode state = run.state();
        JsonNode effective = DataPaths.inputPath(state, run.input(), ctx);
        if (state.has("Parameters")) {
            effective = PayloadTemplate.evaluate(state.get("Parameters"), effective, ctx);
        }
        JsonNode result = state.has("Result") ? state.get("Result").deepCopy() : effective;
        JsonNode output = DataPaths.resultPath(state.get("ResultPath"), run.input(), result);
        return Transition.after(state, DataPaths.outputPath(state, output, ctx));
    }

    private static Transition choice(StateRun run, JsonNode ctx) throws StatesError {
        JsonNode state = run.state();
        JsonNode effective = DataPaths.inputPath(state, run.input(), ctx);
        for (JsonNode rule : state.get("Choices")) {
            if (ChoiceRules.matches(rule, effective, ctx)) {
                return new Transition(rule.get("Next").asText(), DataPaths.outputPath(state, effective, ctx));
            }
        }
        if (state.hasNonNull("Default")) {
            return new Transition(state.get("Default").asText(), DataPaths.outputPath(state, effective, ctx));
        }
        throw new StatesError(StatesError.NO_CHOICE_MATCHED,
                "No Choice Rule matched and no Default is specified in the state '" + run.name() + "'");
    }

    private Duration waitDuration(JsonNode state, JsonNode input, JsonNode ctx) throws StatesError {
        if (state.has("Seconds") || state.has("SecondsPath")) {
            JsonNode seconds = state.has("Seconds") ? state.get("Seconds")
                    : DataPaths.select(state.get("SecondsPath").asText(), input, ctx);
            if (seconds == null || !seconds.isNumber() || seconds.doubleValue() < 0) {
                throw StatesError.runtime("The Wait state's seconds must be a non-negative number, was "
                        + (seconds == null ? "missing" : Json.toString(seconds)));
            }
            return Duration.ofMillis((long) (seconds.doubleValue() * 1000));
        }
        JsonNode stamp = state.has("Timestamp") ? state.get("Timestamp")
                : DataPaths.select(state.get("TimestampPath").asText(), input, ctx);
        Instant until = stamp != null && stamp.isTextual() ? Timestamps.parse(stamp.asText()) : null;
        if (until == null) {
            throw StatesError.runtime("The Wait state's timestamp must be an RFC 3339 timestamp, was "
                    + (stamp == null ? "missing" : Json.toString(stamp)));
        }
        Duration d = Duration.between(clock.instant(), until);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static StatesError fail(JsonNode state, JsonNode input, JsonNode ctx) throws StatesError {
        return new StatesError(text(state, "Error", input, ctx), text(state, "Cause", input, ctx));
    }

    private static String text(JsonNode state, String field, JsonNode input, JsonNode ctx) throws StatesError {
        if (state.hasNonNull(field)) {
            return state.get(field).asText();
        }
        if (state.hasNonNull(field + "Path")) {
            String path = state.get(field + "Path").asText();
            JsonNode value = path.startsWith("States.") ? Intrinsics.evaluate(path, input, ctx)
                    : DataPaths.select(path, input, ctx);
            if (value == null || !value.isTextual()) {
                throw StatesError.runtime("The Fail state's " + field + "Path '" + path + "' must name a string");
            }
            return value.asText();
        }
        return null;
    }
}
