package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.Problems;

import java.util.Iterator;

/**
 * The seam to the JSONata expression layer: compiles a field of a JSONata state (any JSON value whose strings
 * {@code "{% ... %}"} are expressions) into a {@link Value} over {@code $states} and the variables.
 */
final class JsonataValues {

    private JsonataValues() {
    }

    static Value template(JsonNode value, String path, Problems problems) {
        if (!hasExpression(value)) {
            return scope -> value.deepCopy();
        }
        problems.add(path, "JSONata expressions are not supported by dmap yet");
        return null;
    }

    static boolean isExpression(JsonNode value) {
        if (!value.isTextual()) {
            return false;
        }
        String s = value.asText();
        return s.startsWith("{%") && s.endsWith("%}") && s.length() >= 4;
    }

    private static boolean hasExpression(JsonNode value) {
        if (isExpression(value)) {
            return true;
        }
        if (value.isContainerNode()) {
            for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
                if (hasExpression(it.next())) {
                    return true;
                }
            }
        }
        return false;
    }
}
