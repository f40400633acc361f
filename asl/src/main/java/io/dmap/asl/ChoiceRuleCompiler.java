package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.Problems;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Compiles JSONPath Choice rules: And / Or (non-empty arrays of rules), Not (one rule), or a Variable path with
 * exactly one comparison operator whose value has the operator's type. Every problem is reported with its path.
 */
final class ChoiceRuleCompiler {

    static final Set<String> TYPE_TESTS = Set.of("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp");
    /** Fields of a top-level rule that are not part of the condition. */
    static final Set<String> BRANCH_FIELDS = Set.of("Next", "Assign", "Comment");
    private static final List<String> KINDS = List.of("String", "Numeric", "Timestamp");
    private static final List<String> RELATIONS = List.of("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals");

    private ChoiceRuleCompiler() {
    }

    /** A nested rule (inside And, Or, Not), or the condition of a top-level one; null after a problem. */
    static ChoiceRule rule(JsonNode rule, String path, Problems problems) {
        return rule(rule, path, problems, false);
    }

    static ChoiceRule rule(JsonNode rule, String path, Problems problems, boolean topLevel) {
        if (rule == null || !rule.isObject()) {
            problems.add(path, "must be an object");
            return null;
        }
        if (!topLevel) {
            for (String f : BRANCH_FIELDS) {
                if (rule.has(f) && !f.equals("Comment")) {
                    problems.add(path + "." + f, "only top-level choice rules take " + f);
                }
            }
        }
        int combinators = (rule.has("And") ? 1 : 0) + (rule.has("Or") ? 1 : 0) + (rule.has("Not") ? 1 : 0);
        if (combinators > 1 || combinators == 1 && rule.has("Variable")) {
            problems.add(path, "a choice rule has exactly one of And, Or, Not, or a Variable comparison");
            return null;
        }
        for (String op : new String[]{"And", "Or"}) {
            if (rule.has(op)) {
                JsonNode rules = rule.get(op);
                if (!rules.isArray() || rules.isEmpty()) {
                    problems.add(path + "." + op, "must be a non-empty array of choice rules");
                    return null;
                }
                List<ChoiceRule> compiled = new ArrayList<>();
                for (int i = 0; i < rules.size(); i++) {
                    compiled.add(rule(rules.get(i), path + "." + op + "[" + i + "]", problems, false));
                }
                extra(rule, Set.of(op), path, problems);
                return op.equals("And") ? new ChoiceRule.And(compiled) : new ChoiceRule.Or(compiled);
            }
        }
        if (rule.has("Not")) {
            extra(rule, Set.of("Not"), path, problems);
            return new ChoiceRule.Not(rule(rule.get("Not"), path + ".Not", problems, false));
        }
        return comparison(rule, path, problems);
    }

    private static void extra(JsonNode rule, Set<String> used, String path, Problems problems) {
        for (Iterator<String> it = rule.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!used.contains(f) && !BRANCH_FIELDS.contains(f)) {
                problems.add(path + "." + f, "is not a field of a choice rule using " + used.iterator().next());
            }
        }
    }

    private static ChoiceRule comparison(JsonNode rule, String path, Problems problems) {
        JsonNode variable = rule.get("Variable");
        PathRef var = null;
        if (variable == null || !variable.isTextual()) {
            problems.add(path + ".Variable", "is required (a path starting with '$') unless the rule uses And, Or or Not");
        } else {
            try {
                var = PathRef.compile(variable.asText());
            } catch (IllegalArgumentException e) {
                problems.add(path + ".Variable", e.getMessage());
            }
        }
        List<String> operators = new ArrayList<>();
        for (Iterator<String> it = rule.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("Variable") && !BRANCH_FIELDS.contains(name)) {
                operators.add(name);
            }
        }
        if (operators.size() != 1) {
            problems.add(path, "a comparison needs exactly one operator, found " + operators);
            return null;
        }
        String op = operators.get(0);
        JsonNode value = rule.get(op);
        String at = path + "." + op;
        if (TYPE_TESTS.contains(op) || op.equals("BooleanEquals")) {
            return require(value.isBoolean(), at, "must be true or false", problems) ? new ChoiceRule.Comparison(var, op, value, null) : null;
        }
        if (op.equals("StringMatches")) {
            return require(value.isTextual(), at, "must be a string pattern", problems) ? new ChoiceRule.Comparison(var, op, value, null) : null;
        }
        if (op.endsWith("Path") && known(op.substring(0, op.length() - 4))) {
            try {
                PathRef expected = PathRef.compile(value.isTextual() ? value.asText() : null);
                return new ChoiceRule.Comparison(var, op.substring(0, op.length() - 4), null, expected);
            } catch (IllegalArgumentException e) {
                problems.add(at, e.getMessage());
                return null;
            }
        }
        boolean ok;
        if (op.startsWith("Numeric") && known(op)) {
            ok = require(value.isNumber(), at, "must be a number", problems);
        } else if ((op.startsWith("String") || op.startsWith("Timestamp")) && known(op)) {
            ok = require(value.isTextual(), at, "must be a string", problems);
        } else {
            problems.add(at, "is not a comparison operator of the States Language");
            return null;
        }
        return ok ? new ChoiceRule.Comparison(var, op, value, null) : null;
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

    private static boolean require(boolean ok, String path, String reason, Problems problems) {
        if (!ok) {
            problems.add(path, reason);
        }
        return ok;
    }
}
