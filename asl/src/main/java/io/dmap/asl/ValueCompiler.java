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
        if (value == null) {
            return null;
        }
        try {
            PathRef ref = PathRef.compile(value.isTextual() ? value.asText() : null);
            String field = path.substring(path.lastIndexOf('.') + 1);
            return scope -> ref.require(scope, field);
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return null;
        }
    }

    Value jsonata(JsonNode value, String path) {
        return value == null ? null : JsonataFields.template(value, path, problems);
    }

    /**
     * {@code field} (a constant integer from {@code min} to 99999999, or in JSONata an expression) or {@code fieldPath}
     * (JSONPath); the value is checked again when the state runs, as AWS does for paths and expressions.
     */
    Value seconds(JsonNode node, String field, String path, QueryLanguage language, long min) {
        JsonNode constant = node.get(field);
        JsonNode viaPath = node.get(field + "Path");
        if (constant != null && viaPath != null) {
            problems.add(path + "." + field + "Path", "give only one of " + field + " and " + field + "Path");
            return null;
        }
        if (viaPath != null) {
            return path(viaPath, path + "." + field + "Path");
        }
        if (constant == null) {
            return null;
        }
        if (language == QueryLanguage.JSONATA && JsonataFields.isExpression(constant)) {
            return jsonata(constant, path + "." + field);
        }
        if (!constant.isIntegralNumber() || constant.longValue() < min || constant.longValue() > MAX_SECONDS) {
            problems.add(path + "." + field, "must be an integer from " + min + " to " + MAX_SECONDS
                    + (language == QueryLanguage.JSONATA ? ", or a JSONata expression {% ... %}" : ""));
            return null;
        }
        return scope -> constant;
    }

    /** Map's MaxConcurrency: a constant integer of at least 0, MaxConcurrencyPath, or a JSONata expression. */
    Value count(JsonNode node, String field, String path, QueryLanguage language) {
        return seconds(node, field, path, language, 0);
    }

    Value timestamp(JsonNode node, String path, QueryLanguage language) {
        JsonNode constant = node.get("Timestamp");
        if (constant == null) {
            return path(node.get("TimestampPath"), path + ".TimestampPath");
        }
        if (language == QueryLanguage.JSONATA && JsonataFields.isExpression(constant)) {
            return jsonata(constant, path + ".Timestamp");
        }
        if (!constant.isTextual() || Timestamps.parse(constant.asText()) == null) {
            problems.add(path + ".Timestamp", "must be an RFC 3339 timestamp string such as 2016-03-14T01:59:00Z");
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
        Value v = path(viaPath, at);
        return v == null ? null : scope -> {
            JsonNode value = v.evaluate(scope);
            if (!value.isTextual()) {
                throw StatesError.runtime("The " + field + "Path '" + text + "' must select a string, found "
                        + Json.toString(value));
            }
            return value;
        };
    }
}
