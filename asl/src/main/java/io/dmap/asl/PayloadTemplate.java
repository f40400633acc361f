package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

import java.util.Iterator;
import java.util.Map;

/**
 * Parameters, ResultSelector and ItemSelector-style templates: a field named {@code x.$} takes its value from a
 * path over the input, a {@code $$} path over the context object, or an intrinsic function call.
 */
final class PayloadTemplate {

    private PayloadTemplate() {
    }

    static JsonNode evaluate(JsonNode template, JsonNode input, JsonNode context) throws StatesError {
        if (template.isObject()) {
            ObjectNode out = Json.NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if (key.endsWith(".$") && key.length() > 2) {
                    out.set(key.substring(0, key.length() - 2), dynamic(key, e.getValue(), input, context));
                } else {
                    out.set(key, evaluate(e.getValue(), input, context));
                }
            }
            return out;
        }
        if (template.isArray()) {
            ArrayNode out = Json.NODES.arrayNode();
            for (JsonNode element : template) {
                out.add(evaluate(element, input, context));
            }
            return out;
        }
        return template.deepCopy();
    }

    private static JsonNode dynamic(String key, JsonNode expression, JsonNode input, JsonNode context) throws StatesError {
        if (!expression.isTextual()) {
            throw StatesError.runtime("The value for the field '" + key + "' must be a path or an intrinsic function");
        }
        String text = expression.asText().trim();
        if (text.startsWith("$")) {
            JsonNode value = DataPaths.select(text, input, context);
            if (value == null) {
                throw StatesError.runtime("The JSONPath '" + text + "' specified for the field '" + key
                        + "' could not be found in the input '" + Json.toString(text.startsWith("$$") ? context : input) + "'");
            }
            return value.deepCopy();
        }
        if (text.startsWith("States.")) {
            return Intrinsics.evaluate(text, input, context);
        }
        throw StatesError.runtime("The value for the field '" + key + "' must be a path or an intrinsic function, was '"
                + text + "'");
    }
}
