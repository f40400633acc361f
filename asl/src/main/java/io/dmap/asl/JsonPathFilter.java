package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

import java.util.List;

/**
 * A JSONPath filter {@code ?(@.path)} (the path exists) or {@code ?(@.path OP literal)} with OP one of
 * {@code == != < <= > >=} and a number, quoted string, true, false or null literal. Conditions may be joined by
 * {@code &&} or by {@code ||} (not both in one filter).
 */
final class JsonPathFilter {

    private record Condition(List<JsonPath.Step> path, String op, JsonNode literal) {
    }

    private static final String[] OPERATORS = {"==", "!=", "<=", ">=", "<", ">"};

    private final List<Condition> conditions;
    private final boolean all;

    private JsonPathFilter(List<Condition> conditions, boolean all) {
        this.conditions = conditions;
        this.all = all;
    }

    static JsonPath.Step parse(String text) {
        String body = text.substring(1).trim();
        if (!body.startsWith("(") || !body.endsWith(")")) {
            throw new IllegalArgumentException("a filter looks like ?(@.field < 3)");
        }
        body = body.substring(1, body.length() - 1).trim();
        boolean or = body.contains("||");
        if (or && body.contains("&&")) {
            throw new IllegalArgumentException("a filter may use && or ||, not both");
        }
        List<Condition> conditions = new java.util.ArrayList<>();
        for (String part : body.split(or ? "\\|\\|" : "&&")) {
            conditions.add(condition(part.trim()));
        }
        return new JsonPath.Step.Filter(new JsonPathFilter(conditions, !or));
    }

    private static Condition condition(String text) {
        if (!text.startsWith("@")) {
            throw new IllegalArgumentException("a filter condition starts with '@': " + text);
        }
        for (String op : OPERATORS) {
            int at = text.indexOf(op);
            if (at > 0) {
                return new Condition(path(text.substring(0, at).trim()), op, literal(text.substring(at + op.length()).trim()));
            }
        }
        return new Condition(path(text), null, null);
    }

    private static List<JsonPath.Step> path(String relative) {
        return new JsonPathParser("$" + relative.substring(1)).parse();
    }

    private static JsonNode literal(String text) {
        if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
            return Json.NODES.textNode(text.substring(1, text.length() - 1));
        }
        try {
            JsonNode value = Json.MAPPER.readTree(text);
            if (value != null && value.isValueNode()) {
                return value;
            }
        } catch (Exception e) {
            // falls through
        }
        throw new IllegalArgumentException("'" + text + "' is not a literal");
    }

    boolean accepts(JsonNode element) {
        for (Condition c : conditions) {
            boolean ok = holds(c, element);
            if (ok != all) {
                return ok;
            }
        }
        return all;
    }

    private static boolean holds(Condition c, JsonNode element) {
        JsonNode value = element;
        for (JsonPath.Step step : c.path()) {
            List<JsonNode> out = new java.util.ArrayList<>(1);
            step.apply(value, out);
            if (out.isEmpty()) {
                return false;
            }
            value = out.get(0);
        }
        if (c.op() == null) {
            return true;
        }
        Integer cmp = null;
        if (value.isNumber() && c.literal().isNumber()) {
            cmp = value.decimalValue().compareTo(c.literal().decimalValue());
        } else if (value.isTextual() && c.literal().isTextual()) {
            cmp = value.asText().compareTo(c.literal().asText());
        }
        return switch (c.op()) {
            case "==" -> cmp != null ? cmp == 0 : value.equals(c.literal());
            case "!=" -> cmp != null ? cmp != 0 : !value.equals(c.literal());
            case "<" -> cmp != null && cmp < 0;
            case "<=" -> cmp != null && cmp <= 0;
            case ">" -> cmp != null && cmp > 0;
            default -> cmp != null && cmp >= 0;
        };
    }
}
