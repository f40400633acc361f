package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

/**
 * Numbers a state reads when it runs (SecondsPath, TimeoutSecondsPath, MaxConcurrencyPath, their JSONata forms):
 * a bad value fails the state with States.Runtime (a path) or States.QueryEvaluationError (an expression).
 */
final class Numbers {

    private Numbers() {
    }

    static long positiveInteger(JsonNode value, String field, QueryLanguage language, long min) throws StatesError {
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()
                || value.longValue() < min || value.longValue() > ValueCompiler.MAX_SECONDS) {
            String shown = value == null ? "null" : Json.toString(value);
            throw error(language, "The " + field + " parameter does not reference a valid integer value"
                    + (min > 0 ? " greater than 0" : " of at least 0") + ": " + shown);
        }
        return value.longValue();
    }

    static StatesError error(QueryLanguage language, String cause) {
        return new StatesError(language == QueryLanguage.JSONATA ? StatesError.QUERY_EVALUATION_ERROR
                : StatesError.RUNTIME, cause);
    }
}
