package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Problems;

/**
 * Compiles the values of state fields: paths, templates, JSONata values, and the numeric and text fields that
 * come as a constant, a {@code ...Path} or an expression. Each gives null when absent or after a problem.
 */
final class ValueCompiler {

    static final long MAX_SECONDS = 99_999_999;

    private final Problems problems;

    ValueCompiler(Problems problems) {
        this.problems = problems;
    }

    JsonPathIo.Filter filter(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            return new JsonPathIo.Filter(null, field);
        }
        try {
            return new JsonPathIo.Filter(PathRef.compile(v.isTextual() ? v.asText() : null), field);
        } catch (IllegalArgumentException e) {
            problems.add(path + "." + field, e.getMessage() + ", or null");
            return null;
        }
    }

    Template template(JsonNode value, String path) {
        return value == null ? null : Template.compile(value, path, problems);
    }

    ResultPath resultPath(JsonNode value, String path) {
        if (value == null) {
            return null;
        }
        try {
            return ResultPath.compile(value);
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return null;
        }
    }

    /** A path field whose value the state uses as is (ItemsPath); the path must select something. */
    Value path(JsonNode value, String path) {
        PathRef ref = pathRef(value, path);
        return ref == null ? null : ref::require;
    }

    private PathRef pathRef(JsonNode value, String path) {
        if (value == null) {
            return null;
        }
        try {
            return PathRef.compile(value.isTextual() ? value.asText() : null);
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return null;
        }
    }

    Value jsonata(JsonNode value, String path) {
        return value == null ? null : JsonataFields.template(value, path, problems);
    }

    /** The integer fields read when a state runs, with the texts AWS gives for a bad value of each. */
    enum IntegerField {
        WAIT_SECONDS("Seconds", 0), TIMEOUT_SECONDS("TimeoutSeconds", 1), MAX_CONCURRENCY("MaxConcurrency", 0);

        final String field;
        final long min;

        IntegerField(String field, long min) {
            this.field = field;
            this.min = min;
        }
    }

    /**
     * An integer field: a constant from the field's minimum to 99999999, {@code <field>Path} (JSONPath) or a JSONata
     * expression; the Value gives the checked integer, or fails as AWS does (States.Runtime for a path,
     * States.QueryEvaluationError for an expression).
     */
    Value integer(JsonNode node, IntegerField kind, String path, QueryLanguage language) {
        String field = kind.field;
        JsonNode constant = node.get(field);
        JsonNode viaPath = node.get(field + "Path");
        if (constant != null && viaPath != null) {
            problems.add(path + "." + field + "Path", "give only one of " + field + " and " + field + "Path");
            return null;
        }
        if (viaPath != null) {
            PathRef ref = pathRef(viaPath, path + "." + field + "Path");
            return ref == null ? null : scope -> IntegerChecks.fromPath(kind, ref, scope);
        }
        if (constant == null) {
            return null;
        }
        if (language == QueryLanguage.JSONATA && JsonataFields.isExpression(constant)) {
            Value v = jsonata(constant, path + "." + field);
            String text = JsonataFields.expressionText(constant);
            return v == null ? null : scope -> IntegerChecks.fromExpression(kind, text, v.evaluate(scope));
        }
        if (!constant.isIntegralNumber() || constant.longValue() < kind.min || constant.longValue() > MAX_SECONDS) {
            problems.add(path + "." + field, "must be an integer from " + kind.min + " to " + MAX_SECONDS
                    + (language == QueryLanguage.JSONATA ? ", or a JSONata expression {% ... %}" : ""));
            return null;
        }
        return scope -> constant;
    }

    /** Wait's Timestamp or TimestampPath; the Value gives the checked timestamp text. */
    Value timestamp(JsonNode node, String path, QueryLanguage language) {
        JsonNode constant = node.get("Timestamp");
        if (constant == null) {
            PathRef ref = pathRef(node.get("TimestampPath"), path + ".TimestampPath");
            return ref == null ? null : scope -> IntegerChecks.timestampFromPath(ref, scope);
        }
        if (language == QueryLanguage.JSONATA && JsonataFields.isExpression(constant)) {
            Value v = jsonata(constant, path + ".Timestamp");
            String text = JsonataFields.expressionText(constant);
            return v == null ? null : scope -> IntegerChecks.timestampFromExpression(text, v.evaluate(scope));
        }
        if (!constant.isTextual() || Timestamps.parse(constant.asText()) == null) {
            // AWS accepts this at creation and fails when the state runs; rejecting it at POST says so earlier
            problems.add(path + ".Timestamp", "must be an ISO-8601 extended offset date-time string such as"
                    + " 2016-03-14T01:59:00Z");
            return null;
        }
        return scope -> constant;
    }

    /** A Fail state's Error or Cause: a string, ErrorPath/CausePath (a path or an intrinsic), or an expression. */
    Value failText(JsonNode node, String field, String path, QueryLanguage language) {
        JsonNode constant = node.get(field);
        JsonNode viaPath = node.get(field + "Path");
        if (constant != null && viaPath != null) {
            problems.add(path + "." + field + "Path", "give only one of " + field + " and " + field + "Path");
            return null;
        }
        if (constant != null) {
            if (!constant.isTextual()) {
                problems.add(path + "." + field, "must be a string");
                return null;
            }
            if (language == QueryLanguage.JSONATA) {
                return jsonata(constant, path + "." + field);
            }
            return scope -> constant;
        }
        if (viaPath == null) {
            return null;
        }
        String text = viaPath.isTextual() ? viaPath.asText() : "";
        String at = path + "." + field + "Path";
        if (text.startsWith("States.")) {
            return Template.dynamic(viaPath, field + "Path", at, problems);
        }
        PathRef ref = pathRef(viaPath, at);
        String fieldName = field + "Path";
        return ref == null ? null : scope -> {
            JsonNode value = ref.read(scope);
            if (value == null) {
                throw StatesError.runtime("The JSONPath '" + text + "' specified for the field '" + fieldName
                        + "' could not be found in the input '" + Json.toString(scope.data()) + "'");
            }
            if (!value.isTextual()) {
                throw StatesError.runtime("The " + field + "Path '" + text + "' must select a string, found "
                        + Json.toString(value));
            }
            return value;
        };
    }
}
