package io.dmap.asl.map;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.map.MapRunSpec.Deferred;

/**
 * The numeric fields of a Map state: a number given in the definition (checked here), or one known only at run
 * start: a {@code ...Path} field (JSONPath) or a JSONata expression in the field itself, kept as a {@link Deferred}.
 */
final class Numbers {

    private Numbers() {
    }

    static Integer integer(Fields f, String field, int min, int max, boolean jsonata) {
        return isExpression(f, field, jsonata) ? null : f.integer(field, min, max, jsonata ? EXPRESSION : "");
    }

    static Double percentage(Fields f, String field, boolean jsonata) {
        return isExpression(f, field, jsonata) ? null : f.number(field, 0, 100, jsonata ? EXPRESSION : "");
    }

    private static final String EXPRESSION = ", or a JSONata expression \"{% ... %}\"";

    /** ReaderConfig.MaxItems: 0 means no limit (AWS reads all items); null for no limit. */
    static Long maxItems(Fields c, boolean jsonata) {
        Integer n = integer(c, "MaxItems", 0, (int) SpecParser.MAX_ITEMS_LIMIT, jsonata);
        return n == null || n == 0 ? null : n.longValue();
    }

    /** The run-start form of {@code field} in {@code owner}: its Path variant, or its JSONata expression; else null. */
    static Deferred deferred(Fields owner, String field, boolean jsonata) {
        if (owner == null) {
            return null;
        }
        if (jsonata) {
            if (!isExpression(owner, field, jsonata)) {
                return null;
            }
            Jsonata.expression(owner, field, owner.get(field).asText());
            return new Deferred(owner.at(field), owner.get(field).asText());
        }
        String path = SpecParser.referencePath(owner, field + "Path");
        return path == null ? null : new Deferred(owner.at(field + "Path"), path);
    }

    private static boolean isExpression(Fields f, String field, boolean jsonata) {
        JsonNode value = f.get(field);
        if (!jsonata || value == null || !value.isTextual()) {
            return false;
        }
        return Jsonata.isExpression(value.asText());
    }
}
