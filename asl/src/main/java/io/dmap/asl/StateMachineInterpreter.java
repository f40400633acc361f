package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;

import java.time.Clock;

/**
 * Runs a compiled child state machine (the ItemProcessor) on one input. Never throws: whatever goes wrong ends as
 * a failed execution with an error and a cause. Parallel branches and inline Map iterations of all executions share
 * one bounded pool of {@code inlineThreads} extra threads.
 */
public final class StateMachineInterpreter {

    /** A machine that loops forever fails instead of holding its lane (AWS caps history at 25,000 events). */
    static final int MAX_TRANSITIONS = 25_000;
    /** Extra threads for Parallel branches and inline Map iterations when the caller does not say. */
    public static final int DEFAULT_INLINE_THREADS = 64;

    private final TaskStep tasks;
    private final Sleeper sleeper;
    private final Clock clock;
    private final InlineExecutor inline;

    public StateMachineInterpreter(TaskResource resources, Sleeper sleeper, Clock clock, int inlineThreads) {
        this.tasks = new TaskStep(resources);
        this.sleeper = sleeper;
        this.clock = clock;
        this.inline = new InlineExecutor(inlineThreads);
    }

    public StateMachineInterpreter(TaskResource resources, Sleeper sleeper, Clock clock) {
        this(resources, sleeper, clock, DEFAULT_INLINE_THREADS);
    }

    public StateMachineInterpreter(TaskResource resources) {
        this(resources, Sleeper.REAL, Clock.systemUTC());
    }

    /** Runs {@code machine} on {@code input} to its end on the calling thread (top-level Waits pass on the sleeper). */
    public ExecutionResult run(StateMachine machine, JsonNode input, ExecutionContext context) {
        ChildRun child = start(machine, input, context);
        while (true) {
            ChildRun.Progress p = child.advance();
            if (p instanceof ChildRun.Ended e) {
                return e.result();
            }
            try {
                sleeper.sleep(((ChildRun.Waiting) p).duration());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExecutionResult.interrupted();
            }
        }
    }

    /**
     * The execution of {@code machine} on {@code input}, to be run in steps ({@link ChildRun#advance()}): the caller
     * waits out its top-level Wait states itself, holding no thread meanwhile if it likes.
     */
    public ChildRun start(StateMachine machine, JsonNode input, ExecutionContext context) {
        JsonNode in = input == null ? Json.NODES.objectNode() : input;
        return new ChildRun(new Execution(this, context, in), machine, in);
    }

    /** Compiles {@code machine} (a definition that is not valid fails the execution) and runs it. */
    public ExecutionResult run(JsonNode machine, JsonNode input, ExecutionContext context) {
        StateMachine compiled;
        try {
            compiled = StateMachine.compile(machine, "ItemProcessor");
        } catch (SpecException e) {
            return ExecutionResult.failed(StatesError.RUNTIME, "Invalid state machine: " + e.getMessage());
        }
        return run(compiled, input, context);
    }

    TaskStep tasks() {
        return tasks;
    }

    Sleeper sleeper() {
        return sleeper;
    }

    Clock clock() {
        return clock;
    }

    InlineExecutor inline() {
        return inline;
    }
}
