package io.dmap.asl.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StatesError;
import io.dmap.asl.StatesPaths;
import io.dmap.asl.map.MapRunSpec.Deferred;
import io.dmap.common.json.Json;

/**
 * Reads the run-start values of a Map state: paths over its input or the context object, and templates, with AWS's
 * messages when a value is missing or of the wrong kind.
 */
final class RunValues {

    private final JsonNode context;

    RunValues(JsonNode context) {
        this.context = context;
    }

    JsonNode path(String field, String path, JsonNode input) throws StatesError {
        JsonNode value = StatesPaths.select(path, input, context);
        if (value == null) {
            throw StatesError.runtime("The JSONPath '" + path + "' specified for the field '" + field
                    + "' could not be found in the input '" + Json.toString(path.startsWith("$$") ? context : input) + "'");
        }
        return value;
    }

    JsonNode template(String field, JsonNode template, JsonNode input) throws StatesError {
        return StatesPaths.evaluate(template, input, context);
    }

    /** An integer: a JSON integer, or a number or string that holds one (as AWS reads "5" for MaxConcurrency). */
    long integer(Deferred d, JsonNode input) throws StatesError {
        JsonNode value = path(d.field(), d.text(), input);
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
            throw StatesError.runtime("The " + d.field() + " field refers to value " + shown(value)
                    + " which is not a valid integer: " + d.text());
        }
        return n;
    }

    double number(Deferred d, JsonNode input) throws StatesError {
        JsonNode value = path(d.field(), d.text(), input);
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
        throw StatesError.runtime("The " + d.field() + " field refers to value " + shown(value)
                + " which is not a valid number: " + d.text());
    }

    /** A string field of an evaluated Parameters object. */
    String string(JsonNode params, String at, String key, boolean required) throws StatesError {
        JsonNode value = params.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                throw StatesError.runtime("The field '" + key + "' of " + at + " is required, but the evaluated "
                        + at + " is " + Json.toString(params));
            }
            return null;
        }
        if (!value.isTextual() || key.equals("Bucket") && value.asText().isBlank()) {
            throw StatesError.runtime("The field '" + key + "' of " + at + " must be a non-empty string, was "
                    + Json.toString(value));
        }
        return value.asText();
    }

    private static String shown(JsonNode value) {
        return "\"" + (value.isTextual() ? value.asText() : Json.toString(value)) + "\"";
    }
}
