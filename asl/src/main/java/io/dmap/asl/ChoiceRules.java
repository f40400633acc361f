package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

import java.time.Instant;
import java.util.Iterator;
import java.util.Set;

/**
 * Evaluates one Choice rule: And / Or / Not, or a Variable with one comparison operator. A comparison of values
 * of the wrong type is false (not an error); a Variable that names nothing is a States.Runtime error, except for
 * IsPresent.
 */
final class ChoiceRules {

    private static final Set<String> NOT_OPERATORS = Set.of("Variable", "Next", "Comment");

    private ChoiceRules() {
    }

    static boolean matches(JsonNode rule, JsonNode input, JsonNode context) throws StatesError {
        if (!rule.isObject()) {
            throw StatesError.runtime("A choice rule must be an object: " + Json.toString(rule));
        }
        if (rule.has("And") || rule.has("Or")) {
            boolean and = rule.has("And");
            JsonNode rules = rule.get(and ? "And" : "Or");
            if (!rules.isArray() || rules.isEmpty()) {
                throw StatesError.runtime((and ? "And" : "Or") + " must be a non-empty array of rules");
            }
            for (JsonNode r : rules) {
                if (matches(r, input, context) != and) {
                    return !and;
                }
            }
            return and;
        }
        if (rule.has("Not")) {
            return !matches(rule.get("Not"), input, context);
        }
        JsonNode variable = rule.get("Variable");
        if (variable == null || !variable.isTextual()) {
            throw StatesError.runtime("A choice rule needs Variable (or And, Or, Not): " + Json.toString(rule));
        }
        String operator = operator(rule);
        JsonNode value = DataPaths.select(variable.asText(), input, context);
        if (operator.equals("IsPresent")) {
            return (value != null) == rule.get(operator).asBoolean();
        }
        if (value == null) {
            throw StatesError.runtime("Invalid path '" + variable.asText()
                    + "': The choice state's condition path references an invalid value.");
        }
        JsonNode expected = rule.get(operator);
        if (operator.endsWith("Path")) {
            String path = expected.asText();
            expected = DataPaths.select(path, input, context);
            if (expected == null) {
                throw StatesError.runtime("Invalid path '" + path
                        + "': The choice state's condition path references an invalid value.");
            }
            operator = operator.substring(0, operator.length() - 4);
        }
        return compare(operator, value, expected);
    }

    private static String operator(JsonNode rule) throws StatesError {
        for (Iterator<String> it = rule.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!NOT_OPERATORS.contains(name)) {
                return name;
            }
        }
        throw StatesError.runtime("A choice rule has no comparison operator: " + Json.toString(rule));
    }

    private static boolean compare(String operator, JsonNode value, JsonNode expected) throws StatesError {
        return switch (operator) {
            case "IsNull" -> value.isNull() == expected.asBoolean();
            case "IsNumeric" -> value.isNumber() == expected.asBoolean();
            case "IsString" -> value.isTextual() == expected.asBoolean();
            case "IsBoolean" -> value.isBoolean() == expected.asBoolean();
            case "IsTimestamp" -> (value.isTextual() && Timestamps.parse(value.asText()) != null) == expected.asBoolean();
            case "StringMatches" -> value.isTextual() && expected.isTextual()
                    && WildcardPattern.matches(expected.asText(), value.asText());
            case "BooleanEquals" -> value.isBoolean() && expected.isBoolean() && value.asBoolean() == expected.asBoolean();
            default -> ordered(operator, value, expected);
        };
    }

    private static boolean ordered(String operator, JsonNode value, JsonNode expected) throws StatesError {
        Integer cmp;
        String relation;
        if (operator.startsWith("String")) {
            cmp = value.isTextual() && expected.isTextual() ? Integer.valueOf(value.asText().compareTo(expected.asText())) : null;
            relation = operator.substring("String".length());
        } else if (operator.startsWith("Numeric")) {
            cmp = value.isNumber() && expected.isNumber() ? Integer.valueOf(value.decimalValue().compareTo(expected.decimalValue())) : null;
            relation = operator.substring("Numeric".length());
        } else if (operator.startsWith("Timestamp")) {
            Instant a = value.isTextual() ? Timestamps.parse(value.asText()) : null;
            Instant b = expected.isTextual() ? Timestamps.parse(expected.asText()) : null;
            cmp = a != null && b != null ? Integer.valueOf(a.compareTo(b)) : null;
            relation = operator.substring("Timestamp".length());
        } else {
            throw StatesError.runtime("Unknown choice operator '" + operator + "'");
        }
        if (cmp == null) {
            return false;
        }
        return switch (relation) {
            case "Equals" -> cmp == 0;
            case "LessThan" -> cmp < 0;
            case "GreaterThan" -> cmp > 0;
            case "LessThanEquals" -> cmp <= 0;
            case "GreaterThanEquals" -> cmp >= 0;
            default -> throw StatesError.runtime("Unknown choice operator '" + operator + "'");
        };
    }
}
