package io.dmap.asl.map;

import com.fasterxml.jackson.databind.JsonNode;

/** JSONata in the Map state's own fields ({@code {% ... %}}). */
final class Jsonata {

    private Jsonata() {
    }

    /** Whether dmap can evaluate JSONata in the Map state's fields; records a problem when it cannot. */
    static boolean available(Fields f) {
        f.problem("QueryLanguage", "JSONata in the Map state's own fields is not supported by dmap yet");
        return false;
    }

    static boolean isExpression(String text) {
        return text.startsWith("{%") && text.endsWith("%}");
    }

    /** Whether {@code text} is an expression; a malformed one is recorded as a problem of {@code field}. */
    static boolean expression(Fields f, String field, String text) {
        return isExpression(text);
    }

    /** A JSONata template (any JSON value whose strings may be {@code {% %}} expressions), checked. */
    static JsonNode template(Fields f, String field, JsonNode value) {
        return value;
    }
}
