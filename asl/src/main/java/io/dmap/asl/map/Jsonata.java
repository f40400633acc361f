package io.dmap.asl.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StatesPaths;
import io.dmap.common.json.Json;

/**
 * JSONata in the Map state's own fields ({@code "{% ... %}"}), compiled by the engine's JSONata layer so that a
 * malformed expression is a 400 naming its field; the field's value is kept as posted for {@link MapRunResolver}.
 */
final class Jsonata {

    private Jsonata() {
    }

    static boolean isExpression(String text) {
        return StatesPaths.isJsonataExpression(Json.NODES.textNode(text));
    }

    /** Whether {@code text} is an expression; a malformed one is recorded as a problem of {@code field}. */
    static boolean expression(Fields f, String field, String text) {
        template(f, field, Json.NODES.textNode(text));
        return isExpression(text);
    }

    /** A JSONata value (any JSON whose strings may be {@code {% %}} expressions), checked; null after a problem. */
    static JsonNode template(Fields f, String field, JsonNode value) {
        return StatesPaths.jsonata(value, f.at(field), f.problems()) == null ? null : value;
    }
}
