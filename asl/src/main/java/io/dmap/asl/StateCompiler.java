package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.Problems;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles one state of a machine: its frame (query language, input/output processing, Assign, Next/End) and its
 * type's body. Problems go to the machine compiler's list; a state that cannot be compiled gives null.
 */
final class StateCompiler {

    private final StateMachineCompiler machine;
    private final Problems problems;
    private final JsonNode states;
    private final Set<String> ownVariables;
    private final ValueCompiler values;

    StateCompiler(StateMachineCompiler machine, JsonNode states, Set<String> ownVariables) {
        this.machine = machine;
        this.problems = machine.problems;
        this.states = states;
        this.ownVariables = ownVariables;
        this.values = new ValueCompiler(problems);
    }

    State state(String name, JsonNode node, String path, QueryLanguage machineLanguage) {
        if (!node.isObject()) {
            problems.add(path, "must be an object");
            return null;
        }
        JsonNode typeNode = node.get("Type");
        String type = typeNode == null || !typeNode.isTextual() ? null : typeNode.asText();
        if (type == null || !StateMachineCompiler.TYPES.contains(type)) {
            problems.add(path + ".Type", "must be one of " + new java.util.TreeSet<>(StateMachineCompiler.TYPES)
                    + (type == null ? "" : ", was '" + type + "'"));
            return null;
        }
        QueryLanguage language = machine.language(node, path, machineLanguage);
        boolean distributed = type.equals("Map") && machine.distributedAllowed && DistributedMaps.isDistributed(node);
        if (!distributed) {
            Fields.check(node, type, language, path, problems);
        }
        StateIo io = type.equals("Fail") ? null : io(node, type, language, path);
        Assign assign = assign(node.get("Assign"), path + ".Assign", language);
        String next = switch (type) {
            case "Choice", "Succeed", "Fail" -> null;
            default -> transition(node, path);
        };
        StateFrame frame = new StateFrame(name, language, io, assign, next);
        return switch (type) {
            case "Pass" -> new PassState(frame, node.get("Result"));
            case "Task" -> task(frame, node, path);
            case "Choice" -> choice(frame, node, path);
            case "Wait" -> wait(frame, node, path);
            case "Succeed" -> new SucceedState(frame);
            case "Fail" -> fail(frame, node, path);
            case "Parallel" -> parallel(frame, node, path);
            default -> distributed ? new DistributedMaps(problems).state(frame, node, path, errors(node, path, language))
                    : map(frame, node, path);
        };
    }

    private StateIo io(JsonNode node, String type, QueryLanguage language, String path) {
        if (language == QueryLanguage.JSONATA) {
            return new JsonataIo(values.jsonata(node.get("Arguments"), path + ".Arguments"),
                    values.jsonata(node.get("Output"), path + ".Output"));
        }
        // a Map's Parameters is its ItemSelector, not its effective input
        Template parameters = type.equals("Map") ? null : values.template(node.get("Parameters"), path + ".Parameters");
        return new JsonPathIo(values.filter(node, "InputPath", path), parameters,
                values.template(node.get("ResultSelector"), path + ".ResultSelector"),
                values.resultPath(node.get("ResultPath"), path + ".ResultPath"),
                values.filter(node, "OutputPath", path));
    }

    /** An Assign field: names are Unicode identifiers of at most 80 characters, never {@code x.y}, never an outer one. */
    Assign assign(JsonNode assign, String path, QueryLanguage language) {
        if (assign == null) {
            return null;
        }
        if (!assign.isObject()) {
            problems.add(path, "must be an object of variable names and values");
            return null;
        }
        List<Assign.Entry> entries = new ArrayList<>();
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = assign.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String at = path + "." + key;
            boolean dynamic = language == QueryLanguage.JSONPATH && key.endsWith(".$");
            String name = dynamic ? key.substring(0, key.length() - 2) : key;
            if (name.contains(".")) {
                problems.add(at, "partial assignment is not allowed: assign the whole variable '"
                        + name.substring(0, name.indexOf('.')) + "'");
                continue;
            }
            if (!Variables.validName(name) || name.equals("states")) {
                problems.add(at, "a variable name is a Unicode identifier of at most " + Variables.MAX_NAME_LENGTH
                        + " characters (not 'states')");
                continue;
            }
            if (machine.outerVariables.contains(name)) {
                problems.add(at, "the variable '" + name + "' belongs to an enclosing scope; a nested scope can read"
                        + " it but not assign it (no shadowing)");
                continue;
            }
            Value value = language == QueryLanguage.JSONATA ? values.jsonata(e.getValue(), at)
                    : dynamic ? Template.dynamic(e.getValue(), key, at, problems)
                    : Template.compile(e.getValue(), at, problems);
            if (value != null) {
                entries.add(new Assign.Entry(name, value));
            }
        }
        return new Assign(entries);
    }

    private String transition(JsonNode node, String path) {
        boolean end = node.path("End").asBoolean(false);
        JsonNode next = node.get("Next");
        if (node.has("End") && !node.get("End").isBoolean()) {
            problems.add(path + ".End", "must be true or false");
        }
        if (end && next != null) {
            problems.add(path, "has both Next and End");
        } else if (!end && next == null) {
            problems.add(path, "needs Next or \"End\": true");
        }
        return next == null ? null : target(next, path + ".Next");
    }

    String target(JsonNode next, String path) {
        if (next == null || !next.isTextual()) {
            problems.add(path, "is required and must be a state name");
            return null;
        }
        if (!states.has(next.asText())) {
            problems.add(path, "names no state: '" + next.asText() + "'");
        }
        return next.asText();
    }

    private State task(StateFrame frame, JsonNode node, String path) {
        JsonNode resource = node.get("Resource");
        String arn = resource != null && resource.isTextual() ? resource.asText() : null;
        if (arn == null || arn.isBlank()) {
            problems.add(path + ".Resource", "is required for a Task state (a constant string)");
        } else if (!StateMachineParser.TASK_RESOURCES.contains(arn) && !arn.startsWith(StateMachineParser.LAMBDA_ARN_PREFIX)) {
            problems.add(path + ".Resource", "'" + arn + "' is not supported by dmap; use one of "
                    + new java.util.TreeSet<>(StateMachineParser.TASK_RESOURCES) + " or a Lambda function ARN");
        }
        Value timeout = values.integer(node, ValueCompiler.IntegerField.TIMEOUT_SECONDS, path, frame.language());
        return new TaskState(frame, arn, timeout, errors(node, path, frame.language()));
    }

    private State choice(StateFrame frame, JsonNode node, String path) {
        JsonNode choices = node.get("Choices");
        List<ChoiceRule.Branch> branches = new ArrayList<>();
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            problems.add(path + ".Choices", "a Choice state needs a non-empty Choices array");
        } else {
            for (int i = 0; i < choices.size(); i++) {
                ChoiceRule.Branch b = branch(choices.get(i), path + ".Choices[" + i + "]", frame.language());
                if (b != null) {
                    branches.add(b);
                }
            }
        }
        String dflt = node.has("Default") ? target(node.get("Default"), path + ".Default") : null;
        return new ChoiceState(frame, branches, dflt);
    }

    private ChoiceRule.Branch branch(JsonNode rule, String path, QueryLanguage language) {
        if (!rule.isObject()) {
            problems.add(path, "must be an object");
            return null;
        }
        String next = target(rule.get("Next"), path + ".Next");
        Assign assign = assign(rule.get("Assign"), path + ".Assign", language);
        if (language == QueryLanguage.JSONATA) {
            Fields.only(rule, Set.of("Condition", "Next", "Assign", "Output", "Comment"), "a JSONata choice rule",
                    path, problems);
            JsonNode condition = rule.get("Condition");
            Value c = null;
            if (condition == null) {
                problems.add(path + ".Condition", "is required in a JSONata choice rule");
            } else if (!condition.isBoolean() && !JsonataFields.isExpression(condition)) {
                problems.add(path + ".Condition", "must be a JSONata expression {% ... %} or a boolean");
            } else {
                c = values.jsonata(condition, path + ".Condition");
            }
            return new ChoiceRule.Branch(c == null ? null : new ChoiceRule.Condition(c), next, assign,
                    values.jsonata(rule.get("Output"), path + ".Output"));
        }
        for (String f : new String[]{"Condition", "Output"}) {
            if (rule.has(f)) {
                problems.add(path + "." + f, "is a JSONata field and cannot be used in a JSONPath state");
            }
        }
        ChoiceRule compiled = rule.has("Condition") ? null : ChoiceRuleCompiler.rule(rule, path, problems, true);
        return new ChoiceRule.Branch(compiled, next, assign, null);
    }

    private State wait(StateFrame frame, JsonNode node, String path) {
        List<String> present = new ArrayList<>();
        for (String f : new String[]{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"}) {
            if (node.has(f)) {
                present.add(f);
            }
        }
        if (present.size() != 1) {
            problems.add(path, "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath"
                    + (present.isEmpty() ? "" : ", found " + present));
            return new WaitState(frame, null, null, null);
        }
        String field = present.get(0);
        if (field.startsWith("Seconds")) {
            return new WaitState(frame, values.integer(node, ValueCompiler.IntegerField.WAIT_SECONDS, path, frame.language()), null, field);
        }
        return new WaitState(frame, null, values.timestamp(node, path, frame.language()), field);
    }

    private State fail(StateFrame frame, JsonNode node, String path) {
        return new FailState(frame, values.failText(node, "Error", path, frame.language()),
                values.failText(node, "Cause", path, frame.language()));
    }

    private State parallel(StateFrame frame, JsonNode node, String path) {
        JsonNode branches = node.get("Branches");
        List<StateMachine> compiled = new ArrayList<>();
        if (branches == null || !branches.isArray() || branches.isEmpty()) {
            problems.add(path + ".Branches", "a Parallel state needs a non-empty Branches array");
        } else {
            StateMachineCompiler nested = machine.nested(ownVariables);
            for (int i = 0; i < branches.size(); i++) {
                compiled.add(nested.machine(branches.get(i), path + ".Branches[" + i + "]", frame.language(), Set.of()));
            }
        }
        return new ParallelState(frame, compiled, errors(node, path, frame.language()));
    }

    /**
     * An inline Map: its items come from ItemsPath or Items, not from an ItemReader. (A Distributed Map is compiled
     * by {@link DistributedMaps} where the machine allows one: a whole machine's or a STANDARD child's top level.)
     */
    private State map(StateFrame frame, JsonNode node, String path) {
        QueryLanguage language = frame.language();
        String field = node.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
        JsonNode processor = node.get(field);
        StateMachine compiled = null;
        if (node.has("ItemProcessor") && node.has("Iterator")) {
            problems.add(path + ".Iterator", "is the deprecated name of ItemProcessor; give only one of them");
        }
        if (processor == null) {
            problems.add(path + ".ItemProcessor", "is required for a Map state");
        } else {
            JsonNode config = processor.path("ProcessorConfig");
            if (config.isObject()) {
                Fields.only(config, Set.of("Mode"), "the ProcessorConfig of an inline Map", path + "." + field
                        + ".ProcessorConfig", problems);
                JsonNode mode = config.get("Mode");
                if (mode != null && !"INLINE".equals(mode.asText())) {
                    problems.add(path + "." + field + ".ProcessorConfig.Mode", machine.distributedRefusal != null
                            ? machine.distributedRefusal : StateMachineCompiler.NESTED_REFUSAL);
                }
            }
            compiled = machine.nested(ownVariables).machine(processor, path + "." + field, language,
                    Set.of("ProcessorConfig"));
        }
        Value items;
        Value selector;
        if (language == QueryLanguage.JSONATA) {
            JsonNode itemsNode = node.get("Items");
            items = values.jsonata(itemsNode, path + ".Items");
            if (items != null && JsonataFields.isExpression(itemsNode)) {
                Value raw = items;
                String text = JsonataFields.expressionText(itemsNode);
                items = scope -> IntegerChecks.items(text, raw.evaluate(scope));
            } else if (itemsNode != null && !itemsNode.isContainerNode()) {
                problems.add(path + ".Items", "must be a JSON array, a JSON object or a JSONata expression {% ... %}");
            }
            selector = values.jsonata(node.get("ItemSelector"), path + ".ItemSelector");
        } else {
            items = values.path(node.get("ItemsPath"), path + ".ItemsPath");
            if (node.has("ItemSelector") && node.has("Parameters")) {
                problems.add(path + ".Parameters", "is the deprecated name of ItemSelector; give only one of them");
            }
            String selectorField = node.has("ItemSelector") ? "ItemSelector" : "Parameters";
            selector = values.template(node.get(selectorField), path + "." + selectorField);
        }
        Value maxConcurrency = values.integer(node, ValueCompiler.IntegerField.MAX_CONCURRENCY, path, language);
        return new MapState(frame, items, selector, compiled, maxConcurrency, errors(node, path, language));
    }

    private ErrorHandling errors(JsonNode node, String path, QueryLanguage language) {
        return new CatchCompiler(this, problems, values).errors(node, path, language);
    }
}
