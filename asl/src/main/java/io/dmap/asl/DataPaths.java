package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

import java.util.List;

/** InputPath, ResultPath and OutputPath, and reading paths over the input or, for {@code $$}, the context object. */
final class DataPaths {

    private DataPaths() {
    }

    /** The node at {@code path} ({@code $...} over input, {@code $$...} over context), or null when there is none. */
    static JsonNode select(String path, JsonNode input, JsonNode context) throws StatesError {
        if (path.startsWith("$$")) {
            return JsonPath.parse(path.substring(1)).read(context);
        }
        return JsonPath.parse(path).read(input);
    }

    static JsonNode inputPath(JsonNode state, JsonNode input, JsonNode context) throws StatesError {
        return filter(state, "InputPath", input, context);
    }

    static JsonNode outputPath(JsonNode state, JsonNode output, JsonNode context) throws StatesError {
        return filter(state, "OutputPath", output, context);
    }

    private static JsonNode filter(JsonNode state, String field, JsonNode data, JsonNode context) throws StatesError {
        if (!state.has(field)) {
            return data;
        }
        JsonNode path = state.get(field);
        if (path.isNull()) {
            return Json.NODES.objectNode();
        }
        if (!path.isTextual()) {
            throw StatesError.runtime(field + " must be a string or null");
        }
        JsonNode selected = select(path.asText(), data, context);
        if (selected == null) {
            throw StatesError.runtime("Invalid path '" + path.asText() + "' : The " + field
                    + " could not be found in the input '" + Json.toString(data) + "'");
        }
        return selected;
    }

    /** Places {@code result} into (a copy of) {@code rawInput} as the {@code ResultPath} field (default {@code $}) says. */
    static JsonNode resultPath(JsonNode resultPathField, JsonNode rawInput, JsonNode result) throws StatesError {
        if (resultPathField == null || resultPathField.isMissingNode()) {
            return result;
        }
        if (resultPathField.isNull()) {
            return rawInput;
        }
        if (!resultPathField.isTextual()) {
            throw StatesError.runtime("ResultPath must be a string or null");
        }
        String path = resultPathField.asText();
        JsonPath parsed = JsonPath.parse(path);
        if (!parsed.definite() || path.startsWith("$$")) {
            throw StatesError.runtime("ResultPath '" + path + "' must be a reference path");
        }
        List<JsonPath.Step> steps = parsed.steps();
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
                throw StatesError.runtime("Unable to apply ResultPath '" + path + "' to the input '"
                        + Json.toString(rawInput) + "'");
            }
        }
        return root;
    }
}
