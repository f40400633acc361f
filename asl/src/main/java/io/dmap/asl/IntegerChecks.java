package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

/**
 * Values a state reads when it runs (SecondsPath, TimeoutSecondsPath, MaxConcurrencyPath, TimestampPath and their
 * JSONata forms), checked with AWS's error texts: States.Runtime for a path, States.QueryEvaluationError for an
 * expression.
 */
final class IntegerChecks {

    private IntegerChecks() {
    }

    static JsonNode fromPath(ValueCompiler.IntegerField kind, PathRef path, Scope scope) throws StatesError {
        JsonNode value = path.read(scope);
        String field = kind.field + "Path";
        if (value == null) {
            if (kind == ValueCompiler.IntegerField.WAIT_SECONDS) {
                throw StatesError.runtime("The " + field + " parameter does not reference an input value: " + path);
            }
            return path.require(scope);
        }
        boolean integral = value.isIntegralNumber() && value.canConvertToLong();
        if (kind == ValueCompiler.IntegerField.MAX_CONCURRENCY) {
            if (!integral || value.longValue() < 0 || value.longValue() > ValueCompiler.MAX_SECONDS) {
                throw StatesError.runtime("The " + field + " field refers to value \"" + plain(value)
                        + "\" which is not a valid integer: " + path);
            }
            return value;
        }
        if (!integral) {
            throw StatesError.runtime("The " + field + " parameter cannot be parsed as a long value: " + path + " == "
                    + plain(value));
        }
        if (value.longValue() < kind.min) {
            throw StatesError.runtime("The " + field + " parameter references a "
                    + (kind.min == 0 ? "negative value" : "value less than " + kind.min) + ": " + path + " == " + plain(value));
        }
        if (value.longValue() > ValueCompiler.MAX_SECONDS) {
            throw StatesError.runtime(kind == ValueCompiler.IntegerField.WAIT_SECONDS ? "Wait state delay is too long."
                    : "The " + field + " parameter references a value over " + ValueCompiler.MAX_SECONDS + ": "
                    + path + " == " + plain(value));
        }
        return value;
    }

    static JsonNode fromExpression(ValueCompiler.IntegerField kind, String expression, JsonNode value) throws StatesError {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '" + expression
                    + "' specified for the field '" + kind.field + "' returned an unexpected result type. Expected"
                    + " 'integer', but was '" + type(value) + "' for value: " + Json.toString(value));
        }
        if (value.longValue() < kind.min || value.longValue() > ValueCompiler.MAX_SECONDS) {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '" + expression
                    + "' specified for the field '" + kind.field + "' returned " + value.longValue()
                    + ", outside the range " + kind.min + " to " + ValueCompiler.MAX_SECONDS);
        }
        return value;
    }

    static JsonNode timestampFromPath(PathRef path, Scope scope) throws StatesError {
        JsonNode value = path.read(scope);
        if (value == null) {
            throw StatesError.runtime("The TimestampPath parameter does not reference an input value: " + path);
        }
        if (!value.isTextual() || Timestamps.parse(value.asText()) == null) {
            throw StatesError.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended offset"
                    + " date-time format string: " + path + " == " + plain(value));
        }
        return value;
    }

    static JsonNode timestampFromExpression(String expression, JsonNode value) throws StatesError {
        if (!value.isTextual()) {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '" + expression
                    + "' specified for the field 'Timestamp' returned an unexpected result type. Expected 'string',"
                    + " but was '" + type(value) + "' for value: " + Json.toString(value));
        }
        if (Timestamps.parse(value.asText()) == null) {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The Timestamp field cannot be parsed as an"
                    + " ISO-8601 extended offset date-time format string: " + value.asText());
        }
        return value;
    }

    /** What a JSONata Items expression gave: an array or (since Sep 2025) an object to iterate. */
    static JsonNode items(String expression, JsonNode value) throws StatesError {
        if (!value.isContainerNode()) {
            throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The JSONata expression '" + expression
                    + "' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '"
                    + type(value) + "' for value: " + Json.toString(value));
        }
        return value;
    }

    /** AWS's JSON type names in JSONata errors. */
    static String type(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isNull()) {
            return "null";
        }
        return value.isArray() ? "array" : "object";
    }

    private static String plain(JsonNode value) {
        return value.isTextual() ? value.asText() : Json.toString(value);
    }
}
