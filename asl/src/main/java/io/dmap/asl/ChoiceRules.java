package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.Problems;
import io.dmap.common.spec.SpecException;

import java.time.Instant;

/** The comparison operators of JSONPath Choice rules; a comparison of values of the wrong type is false. */
final class ChoiceRules {

    private ChoiceRules() {
    }

    /** Compiles {@code rule} (not a top-level one) and evaluates it: for tests and one-off use. */
    static boolean matches(JsonNode rule, JsonNode input, JsonNode context) throws StatesError {
        Problems problems = new Problems();
        ChoiceRule compiled = ChoiceRuleCompiler.rule(rule, "rule", problems);
        if (!problems.isEmpty()) {
            throw StatesError.runtime(new SpecException(problems.list()).getMessage());
        }
        return compiled.matches(Scope.entry(input, context, Variables.root()));
    }

    static boolean compare(String operator, JsonNode value, JsonNode expected) throws StatesError {
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
