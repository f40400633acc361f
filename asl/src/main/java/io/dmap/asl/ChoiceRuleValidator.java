package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.SpecException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Choice rules: And / Or (non-empty arrays of rules), Not (one rule), or a Variable path with exactly one comparison
 * operator whose value has the operator's type. Only top-level rules take Next.
 */
final class ChoiceRuleValidator {

    static final Set<String> TYPE_TESTS = Set.of("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp");
    private static final List<String> KINDS = List.of("String", "Numeric", "Timestamp");
    private static final List<String> RELATIONS = List.of("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals");

    private ChoiceRuleValidator() {
    }

    static void validate(JsonNode rule, String path, boolean topLevel) {
        if (!rule.isObject()) {
            throw new SpecException(path, "must be an object");
        }
        if (!topLevel && rule.has("Next")) {
            throw new SpecException(path + ".Next", "only top-level choice rules take Next");
        }
        int combinators = (rule.has("And") ? 1 : 0) + (rule.has("Or") ? 1 : 0) + (rule.has("Not") ? 1 : 0);
        if (combinators > 1 || combinators == 1 && rule.has("Variable")) {
            throw new SpecException(path, "a choice rule has exactly one of And, Or, Not, or a Variable comparison");
        }
        for (String op : new String[]{"And", "Or"}) {
            if (rule.has(op)) {
                JsonNode rules = rule.get(op);
                if (!rules.isArray() || rules.isEmpty()) {
                    throw new SpecException(path + "." + op, "must be a non-empty array of choice rules");
                }
                for (int i = 0; i < rules.size(); i++) {
                    validate(rules.get(i), path + "." + op + "[" + i + "]", false);
                }
                return;
            }
        }
        if (rule.has("Not")) {
            validate(rule.get("Not"), path + ".Not", false);
            return;
        }
        comparison(rule, path);
    }

    private static void comparison(JsonNode rule, String path) {
        JsonNode variable = rule.get("Variable");
        if (variable == null || !variable.isTextual() || !variable.asText().startsWith("$")) {
            throw new SpecException(path + ".Variable", "is required (a path starting with '$') unless the rule uses And, Or or Not");
        }
        List<String> operators = new ArrayList<>();
        for (Iterator<String> it = rule.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("Variable") && !name.equals("Next") && !name.equals("Comment")) {
                operators.add(name);
            }
        }
        if (operators.size() != 1) {
            throw new SpecException(path, "a comparison needs exactly one operator, found " + operators);
        }
        String op = operators.get(0);
        JsonNode value = rule.get(op);
        String at = path + "." + op;
        if (TYPE_TESTS.contains(op) || op.equals("BooleanEquals")) {
            require(value.isBoolean(), at, "must be true or false");
        } else if (op.equals("StringMatches")) {
            require(value.isTextual(), at, "must be a string pattern");
        } else if (op.endsWith("Path") && known(op.substring(0, op.length() - 4))) {
            require(value.isTextual() && value.asText().startsWith("$"), at, "must be a path starting with '$'");
        } else if (op.startsWith("Numeric") && known(op)) {
            require(value.isNumber(), at, "must be a number");
        } else if ((op.startsWith("String") || op.startsWith("Timestamp")) && known(op)) {
            require(value.isTextual(), at, "must be a string");
        } else {
            throw new SpecException(at, "is not a comparison operator of the States Language");
        }
    }

    private static boolean known(String op) {
        if (op.equals("BooleanEquals")) {
            return true;
        }
        for (String kind : KINDS) {
            if (op.startsWith(kind) && RELATIONS.contains(op.substring(kind.length()))) {
                return true;
            }
        }
        return false;
    }

    private static void require(boolean ok, String path, String reason) {
        if (!ok) {
            throw new SpecException(path, reason);
        }
    }
}
