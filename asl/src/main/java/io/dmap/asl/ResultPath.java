package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

import java.util.List;

/** A compiled ResultPath: where the result goes in (a copy of) the raw input; {@code discard}: ResultPath null. */
record ResultPath(boolean discard, List<JsonPath.Step> steps, String text) {

    /** Compiles a ResultPath value (a reference path, or null); throws IllegalArgumentException saying why not. */
    static ResultPath compile(JsonNode value) {
        if (value.isNull()) {
            return new ResultPath(true, List.of(), null);
        }
        if (!value.isTextual() || !value.asText().startsWith("$") || value.asText().startsWith("$$")) {
            throw new IllegalArgumentException("must be a reference path starting with '$', or null");
        }
        JsonPath path = JsonPath.compile(value.asText());
        if (!path.definite()) {
            throw new IllegalArgumentException("must be a reference path (fields and indexes only), was '"
                    + value.asText() + "'");
        }
        return new ResultPath(false, path.steps(), value.asText());
    }

    JsonNode apply(JsonNode rawInput, JsonNode result) throws StatesError {
        if (discard) {
            return rawInput;
        }
        if (steps.isEmpty()) {
            return result;
        }
        JsonNode root = rawInput.deepCopy();
        JsonNode node = root;
        for (int i = 0; i < steps.size(); i++) {
            boolean last = i == steps.size() - 1;
            JsonPath.Step step = steps.get(i);
            if (step instanceof JsonPath.Step.Field f && node instanceof ObjectNode obj) {
                if (last) {
                    obj.set(f.name(), result);
                } else {
                    JsonNode child = obj.get(f.name());
                    node = child != null && child.isContainerNode() ? child : obj.putObject(f.name());
                }
            } else if (step instanceof JsonPath.Step.Index ix && node instanceof ArrayNode arr
                    && ix.index() >= 0 && ix.index() < arr.size()) {
                if (last) {
                    arr.set(ix.index(), result);
                } else {
                    node = arr.get(ix.index());
                }
            } else {
                throw StatesError.runtime("Unable to apply ResultPath '" + text + "' to the input '"
                        + Json.toString(rawInput) + "'");
            }
        }
        return root;
    }
}
