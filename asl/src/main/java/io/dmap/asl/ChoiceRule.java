package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

import java.util.List;

/**
 * A compiled Choice rule. JSONPath: And / Or / Not, or a Variable with one comparison operator (a comparison of
 * values of the wrong type is false, a Variable that names nothing is a States.Runtime error except for IsPresent).
 * JSONata: a Condition expression that must give a boolean.
 */
sealed interface ChoiceRule {

    boolean matches(Scope scope) throws StatesError;

    /** A top-level rule: where it leads, and (optionally) its Assign and, in JSONata, its Output. */
    record Branch(ChoiceRule rule, String next, Assign assign, Value output) { }

    record And(List<ChoiceRule> rules) implements ChoiceRule {
        public boolean matches(Scope scope) throws StatesError {
            for (ChoiceRule r : rules) {
                if (!r.matches(scope)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Or(List<ChoiceRule> rules) implements ChoiceRule {
        public boolean matches(Scope scope) throws StatesError {
            for (ChoiceRule r : rules) {
                if (r.matches(scope)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(ChoiceRule rule) implements ChoiceRule {
        public boolean matches(Scope scope) throws StatesError {
            return !rule.matches(scope);
        }
    }

    /** {@code operator} without its Path suffix; {@code expectedPath} set for the ...Path operators. */
    record Comparison(PathRef variable, String operator, JsonNode expected, PathRef expectedPath) implements ChoiceRule {
        public boolean matches(Scope scope) throws StatesError {
            JsonNode value = variable.read(scope);
            if (operator.equals("IsPresent")) {
                return (value != null) == expected.asBoolean();
            }
            if (value == null) {
                throw StatesError.runtime("Invalid path '" + variable
                        + "': The choice state's condition path references an invalid value.");
            }
            JsonNode against = expected;
            if (expectedPath != null) {
                against = expectedPath.read(scope);
                if (against == null) {
                    throw StatesError.runtime("Invalid path '" + expectedPath
                            + "': The choice state's condition path references an invalid value.");
                }
            }
            return ChoiceRules.compare(operator, value, against);
        }
    }

    /** JSONata's Condition. */
    record Condition(Value condition) implements ChoiceRule {
        public boolean matches(Scope scope) throws StatesError {
            JsonNode v = condition.evaluate(scope);
            if (v == null || !v.isBoolean()) {
                throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, "The Condition of a choice rule must give"
                        + " a boolean, was " + (v == null ? "nothing" : Json.toString(v)));
            }
            return v.asBoolean();
        }
    }
}
