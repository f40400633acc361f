package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.jsonata.JsonataTemplate;
import io.dmap.common.spec.Problems;
import io.dmap.common.spec.SpecException;

import java.util.Map;

/**
 * The seam to the JSONata layer ({@code io.dmap.asl.jsonata}): compiles a field of a JSONata state (any JSON value
 * whose strings {@code "{% ... %}"} are expressions) into a {@link Value} over {@code $states} and the variables.
 */
final class JsonataFields {

    private JsonataFields() {
    }

    /** The compiled field, or null after a problem (recorded with its path). */
    static Value template(JsonNode value, String path, Problems problems) {
        JsonataTemplate template;
        try {
            template = JsonataTemplate.compile(value, path, field(path));
        } catch (SpecException e) {
            e.problems().forEach(p -> problems.add(p.field(), p.reason()));
            return null;
        }
        if (template.isLiteral()) {
            return scope -> value.deepCopy();
        }
        return scope -> {
            Map<String, JsonNode> variables = scope.variables().visible();
            return template.evaluate(scope.states(), variables);
        };
    }

    /** The expression of a {@code "{% ... %}"} string, as AWS quotes it in errors. */
    static String expressionText(JsonNode value) {
        String s = value.asText();
        return s.substring(2, s.length() - 2).trim();
    }

    static boolean isExpression(JsonNode value) {
        return JsonataTemplate.isExpression(value);
    }

    /** AWS names a field in run-time errors relative to its state, e.g. {@code Arguments/Input/bucket}. */
    private static String field(String path) {
        int states = path.lastIndexOf(".States.");
        String rest = states < 0 ? path : path.substring(states + ".States.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(dot + 1).replace('.', '/');
    }
}
