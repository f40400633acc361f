package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;

/**
 * A compiled state machine (the ItemProcessor, a Parallel branch, an inline Map's processor): parsed and validated
 * in one pass, so what is accepted at POST is exactly what runs.
 */
public record StateMachine(String startAt, Map<String, State> states, QueryLanguage language, Duration timeout) {

    /**
     * {@code timeout}: a whole machine's TimeoutSeconds (null when it has none, and for every sub-machine), after
     * which its execution fails with States.Timeout.
     */
    public StateMachine(String startAt, Map<String, State> states, QueryLanguage language) {
        this(startAt, states, language, null);
    }

    /**
     * Compiles {@code definition} ({@code StartAt}, {@code States}, ...) found at {@code fieldPath} of what the user
     * posted; throws a SpecException listing every problem found.
     */
    public static StateMachine compile(JsonNode definition, String fieldPath) {
        return compile(definition, fieldPath, QueryLanguage.JSONPATH);
    }

    /** As {@link #compile(JsonNode, String)}, inheriting the query language of the enclosing state. */
    public static StateMachine compile(JsonNode definition, String fieldPath, QueryLanguage inherited) {
        return StateMachineCompiler.compile(definition, fieldPath, inherited);
    }

    /**
     * Compiles a whole state machine (CreateStateMachine's definition), whose top-level Map states may be Distributed
     * Maps; problems are listed with paths from the machine's root ({@code States.A.Next}).
     */
    public static StateMachine compileWhole(JsonNode definition) {
        return StateMachineCompiler.compileWhole(definition);
    }

    /**
     * Whether a Distributed Map state is among its top-level states: such a (STANDARD) child starts nested map runs,
     * so it is run by the parent engine ({@link ParentInterpreter}), never on a worker's lane, which it would hold
     * while it waits.
     */
    public boolean startsMapRuns() {
        return states.values().stream().anyMatch(s -> s instanceof DistributedMapState);
    }

    /** The state named {@code name} (null when there is none). */
    public State state(String name) {
        return states.get(name);
    }
}
