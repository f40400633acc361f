package io.dmap.asl.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StatesError;
import io.dmap.asl.StatesPaths;
import io.dmap.asl.map.MapRunSpec.Deferred;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Problems;

/**
 * Reads the run-start values of a Map state: paths over its input or the context object, and templates, with AWS's
 * messages when a value is missing or of the wrong kind.
 */
final class RunValues {

    static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";

    private final JsonNode context;
    private final boolean jsonata;

    RunValues(JsonNode context, boolean jsonata) {
        this.context = context;
        this.jsonata = jsonata;
    }

    /** The error of a value of the wrong kind: States.Runtime for paths, States.QueryEvaluationError for JSONata. */
    StatesError wrongValue(String cause) {
        return new StatesError(jsonata ? QUERY_EVALUATION_ERROR : StatesError.RUNTIME, cause);
    }

    /** A Deferred's value: its path's (JSONPath) or its expression's (JSONata). */
    JsonNode value(Deferred d, JsonNode input) throws StatesError {
        return jsonata ? template(d.field(), Json.NODES.textNode(d.text()), input) : path(d.field(), d.text(), input);
    }

    JsonNode path(String field, String path, JsonNode input) throws StatesError {
        JsonNode value = StatesPaths.select(path, input, context);
        if (value == null) {
            throw StatesError.runtime("The JSONPath '" + path + "' specified for the field '" + field
                    + "' could not be found in the input '" + Json.toString(path.startsWith("$$") ? context : input) + "'");
        }
        return value;
    }

    /** A template: JSONPath ({@code .$} keys) or JSONata (checked at POST, so compiling it again cannot fail). */
    JsonNode template(String field, JsonNode template, JsonNode input) throws StatesError {
        if (!jsonata) {
            return StatesPaths.evaluate(template, input, context);
        }
        Problems problems = new Problems();
        StatesPaths.Compiled compiled = StatesPaths.jsonata(template, field, problems);
        if (compiled == null) {
            throw new StatesError(QUERY_EVALUATION_ERROR, problems.list().get(0).toString());
        }
        return compiled.evaluate(input, context);
    }

    /** An integer: a JSON integer, or a number or string that holds one (as AWS reads "5" for MaxConcurrency). */
    long integer(Deferred d, JsonNode input) throws StatesError {
        JsonNode value = value(d, input);
        Long n = null;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            n = value.longValue();
        } else if (value.isTextual()) {
            try {
                n = Long.parseLong(value.asText().trim());
            } catch (NumberFormatException e) {
                n = null;
            }
        }
        if (n == null) {
            throw wrongValue("The " + d.field() + " field " + (jsonata ? "evaluated to " : "refers to value ")
                    + shown(value) + " which is not a valid integer: " + d.text());
        }
        return n;
    }

    double number(Deferred d, JsonNode input) throws StatesError {
        JsonNode value = value(d, input);
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw wrongValue("The " + d.field() + " field " + (jsonata ? "evaluated to " : "refers to value ")
                + shown(value) + " which is not a valid number: " + d.text());
    }

    /** A string field of an evaluated Parameters object. */
    String string(JsonNode params, String at, String key, boolean required) throws StatesError {
        if (!params.isObject()) {
            throw wrongValue(at + " must evaluate to a JSON object, was " + Json.toString(params));
        }
        JsonNode value = params.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                throw StatesError.runtime("The field '" + key + "' of " + at + " is required, but the evaluated "
                        + at + " is " + Json.toString(params));
            }
            return null;
        }
        if (!value.isTextual() || key.equals("Bucket") && value.asText().isBlank()) {
            throw wrongValue("The field '" + key + "' of " + at + " must be a non-empty string, was "
                    + Json.toString(value));
        }
        return value.asText();
    }

    private static String shown(JsonNode value) {
        return "\"" + (value.isTextual() ? value.asText() : Json.toString(value)) + "\"";
    }
}
