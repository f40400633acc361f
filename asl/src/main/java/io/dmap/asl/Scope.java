package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

/**
 * What an expression of one state sees. JSONPath reads {@code data} ({@code $}: the input, the result or the error
 * output, depending on the field), {@code context} ({@code $$}) and the variables ({@code $name}); JSONata reads
 * {@code $states.input/.result/.errorOutput/.context} and the variables.
 */
record Scope(JsonNode input, JsonNode data, JsonNode result, JsonNode errorOutput, JsonNode context,
             Variables variables) {

    static Scope entry(JsonNode input, JsonNode context, Variables variables) {
        return new Scope(input, input, null, null, context, variables);
    }

    /** {@code $} is {@code data} from now on (JSONPath: InputPath gives Parameters their input, and so on). */
    Scope withData(JsonNode data) {
        return new Scope(input, data, result, errorOutput, context, variables);
    }

    Scope withResult(JsonNode result) {
        return new Scope(input, result, result, errorOutput, context, variables);
    }

    Scope withErrorOutput(JsonNode errorOutput) {
        return new Scope(input, errorOutput, result, errorOutput, context, variables);
    }

    Scope withContext(JsonNode context) {
        return new Scope(input, data, result, errorOutput, context, variables);
    }

    /** The {@code $states} binding of JSONata. */
    ObjectNode states() {
        ObjectNode states = Json.NODES.objectNode();
        states.set("input", input);
        if (result != null) {
            states.set("result", result);
        }
        if (errorOutput != null) {
            states.set("errorOutput", errorOutput);
        }
        states.set("context", context);
        return states;
    }
}
