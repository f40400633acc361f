package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.Problems;

import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses and validates a state machine in one pass, collecting every problem with its field path (e.g.
 * {@code ItemProcessor.States.Check.Choices[0].Next}). Each state type's body is compiled by {@link StateCompiler}.
 */
final class StateMachineCompiler {

    static final Set<String> TYPES = Set.of("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map");
    private static final Set<String> MACHINE_FIELDS = Set.of("StartAt", "States", "Comment", "QueryLanguage");

    final Problems problems;
    /** Variables assigned in enclosing scopes: a nested scope may read them but not assign them (no shadowing). */
    final Set<String> outerVariables;
    /**
     * A whole state machine's top level, or a STANDARD child's (an ItemProcessor whose ExecutionType is STANDARD): its
     * Map states may be Distributed Maps (map runs).
     */
    final boolean distributedAllowed;
    /** Why a Distributed Map is refused here (when it is): the reason given at its ProcessorConfig.Mode. */
    final String distributedRefusal;

    static final String NESTED_REFUSAL =
            "must be INLINE inside a Parallel branch or an inline Map (a Distributed Map there is not supported by dmap)";
    static final String EXPRESS_REFUSAL = "must be INLINE inside an EXPRESS child execution: a Distributed Map runs"
            + " only in STANDARD workflows (set the enclosing ProcessorConfig.ExecutionType to STANDARD)";

    StateMachineCompiler(Problems problems, Set<String> outerVariables) {
        this(problems, outerVariables, false, NESTED_REFUSAL);
    }

    private StateMachineCompiler(Problems problems, Set<String> outerVariables, boolean distributedAllowed,
                                 String distributedRefusal) {
        this.problems = problems;
        this.outerVariables = outerVariables;
        this.distributedAllowed = distributedAllowed;
        this.distributedRefusal = distributedRefusal;
    }

    /**
     * A whole state machine (what CreateStateMachine takes): its top-level Map states may be Distributed Maps, each
     * validated as POST /map-runs validates one. Field paths start at the machine ({@code States.A.Next}).
     */
    static StateMachine compileWhole(JsonNode definition) {
        Problems problems = new Problems();
        StateMachine machine = new StateMachineCompiler(problems, Set.of(), true, null)
                .machine(definition, "", QueryLanguage.JSONPATH, Set.of());
        problems.throwIfAny();
        return machine;
    }

    /** An ItemProcessor runs as STANDARD child executions unless its ProcessorConfig says EXPRESS (as SpecParser). */
    private static boolean standard(JsonNode definition) {
        JsonNode type = definition == null ? null : definition.path("ProcessorConfig").get("ExecutionType");
        return type == null || !type.isTextual() || "STANDARD".equals(type.asText());
    }

    /** {@code path.field}, or {@code field} at the root of a whole machine. */
    static String at(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /**
     * A child state machine (an ItemProcessor): a STANDARD child's top level may hold Distributed Maps (nested map
     * runs, which the parent engine drives); an EXPRESS child's may not, as in AWS.
     */
    static StateMachine compile(JsonNode definition, String path, QueryLanguage inherited) {
        Problems problems = new Problems();
        boolean standard = standard(definition);
        StateMachine machine = new StateMachineCompiler(problems, Set.of(), standard, standard ? null : EXPRESS_REFUSAL)
                .machine(definition, path, inherited, Set.of("ProcessorConfig"));
        problems.throwIfAny();
        return machine;
    }

    /** A (sub-)machine; {@code extraFields} are fields its container allows (an ItemProcessor's ProcessorConfig). */
    StateMachine machine(JsonNode definition, String path, QueryLanguage inherited, Set<String> extraFields) {
        if (definition == null || !definition.isObject()) {
            problems.add(path.isEmpty() ? "$" : path, "must be an object with StartAt and States");
            return null;
        }
        Set<String> allowed = new HashSet<>(MACHINE_FIELDS);
        allowed.addAll(extraFields);
        if (path.isEmpty()) {
            allowed.addAll(Set.of("TimeoutSeconds", "Version"));
        }
        Fields.only(definition, allowed, "a state machine", path, problems);
        Duration timeout = null;
        if (path.isEmpty()) {
            timeout = machineTimeout(definition.get("TimeoutSeconds"));
            if (definition.has("Version")) {
                problems.add("Version", "is not supported by dmap");
            }
        }
        QueryLanguage language = language(definition, path, inherited);
        JsonNode states = definition.get("States");
        if (states == null || !states.isObject() || states.isEmpty()) {
            problems.add(at(path, "States"), "must be a non-empty object of states");
            return null;
        }
        JsonNode startAt = definition.get("StartAt");
        if (startAt == null || !startAt.isTextual()) {
            problems.add(at(path, "StartAt"), "is required and must be a string");
        } else if (!states.has(startAt.asText())) {
            problems.add(at(path, "StartAt"), "names no state: '" + startAt.asText() + "'");
        }
        Set<String> own = assignedIn(states);
        StateCompiler body = new StateCompiler(this, states, own);
        Map<String, State> compiled = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String at = at(path, "States." + name);
            if (name.isEmpty() || name.length() > 80) {
                problems.add(at, "a state name has 1 to 80 characters");
            }
            Set<String> reads = new TreeSet<>();
            State state = VariableReferences.collecting(reads, () -> body.state(name, e.getValue(), at, language));
            for (String variable : reads) {
                if (!own.contains(variable) && !outerVariables.contains(variable)) {
                    problems.add(at, "reads the variable '" + variable + "', which no state of this scope or an"
                            + " enclosing one assigns" + (outerVariables.isEmpty() && extraFields.contains("ProcessorConfig")
                            && !path.contains(".States.") ? " (the children of a Distributed Map cannot read the"
                            + " variables of the state machine around it)" : ""));
                }
            }
            if (state != null) {
                compiled.put(name, state);
            }
        }
        if (startAt != null && startAt.isTextual() && problems.isEmpty()) {
            Reachability.check(startAt.asText(), compiled, path, problems);
        }
        return new StateMachine(startAt == null ? null : startAt.asText(), Map.copyOf(compiled), language, timeout);
    }

    /** A whole machine's TimeoutSeconds (AWS: a positive integer; the execution fails with States.Timeout past it). */
    private Duration machineTimeout(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
            problems.add("TimeoutSeconds", "must be a positive integer (seconds), was " + value);
            return null;
        }
        return Duration.ofSeconds(value.asInt());
    }

    /** A nested scope (a Parallel branch, an inline Map's processor) inside a machine whose states assign {@code own}. */
    StateMachineCompiler nested(Set<String> own) {
        Set<String> outer = new HashSet<>(outerVariables);
        outer.addAll(own);
        return new StateMachineCompiler(problems, outer);
    }

    QueryLanguage language(JsonNode node, String path, QueryLanguage inherited) {
        JsonNode value = node.get("QueryLanguage");
        if (value == null) {
            return inherited;
        }
        QueryLanguage language = value.isTextual() ? QueryLanguage.named(value.asText()) : null;
        if (language == null) {
            problems.add(at(path, "QueryLanguage"), "must be \"JSONPath\" or \"JSONata\", was " + value);
            return inherited;
        }
        if (inherited == QueryLanguage.JSONATA && language == QueryLanguage.JSONPATH) {
            // AWS's validator text (a JSONata machine may not contain JSONPath states)
            problems.add(at(path, "QueryLanguage"), "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole"
                    + " state machine");
        }
        return language;
    }

    /** The names the states of one machine assign (in their Assign, their Choice rules' and their Catchers'). */
    private static Set<String> assignedIn(JsonNode states) {
        Set<String> names = new TreeSet<>();
        for (JsonNode state : states) {
            collect(state.get("Assign"), names);
            for (JsonNode rule : state.path("Choices")) {
                collect(rule.get("Assign"), names);
            }
            for (JsonNode catcher : state.path("Catch")) {
                collect(catcher.get("Assign"), names);
            }
        }
        return names;
    }

    private static void collect(JsonNode assign, Set<String> names) {
        if (assign != null && assign.isObject()) {
            assign.fieldNames().forEachRemaining(n -> names.add(n.endsWith(".$") ? n.substring(0, n.length() - 2) : n));
        }
    }
}
