package io.dmap.asl.jsonata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

/**
 * The reserved JSONata variable {@code $states} (AWS-REFERENCE.md 6.4): the state's raw input, the task or
 * sub-workflow result (Task, Parallel, Map, once there is one), the error output (in a Catch only) and the context
 * object. A member that is {@code null} is absent, so reading it is undefined, as on AWS.
 */
public record StatesBinding(JsonNode input, JsonNode result, JsonNode errorOutput, JsonNode context) {

    /** {@code $states} on entering a state: input and context only. */
    public static StatesBinding entry(JsonNode input, JsonNode context) {
        return new StatesBinding(input, null, null, context);
    }

    public StatesBinding withResult(JsonNode result) {
        return new StatesBinding(input, result, errorOutput, context);
    }

    public StatesBinding withErrorOutput(JsonNode errorOutput) {
        return new StatesBinding(input, result, errorOutput, context);
    }

    /** The object to bind as {@code $states}. */
    public ObjectNode toNode() {
        ObjectNode states = Json.NODES.objectNode();
        put(states, "input", input);
        put(states, "result", result);
        put(states, "errorOutput", errorOutput);
        put(states, "context", context);
        return states;
    }

    private static void put(ObjectNode states, String name, JsonNode value) {
        if (value != null && !value.isMissingNode()) {
            states.set(name, value);
        }
    }
}
