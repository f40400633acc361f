package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.SpecException;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Structural validation of a child state machine (the ItemProcessor): StartAt names a state, every state has
 * a known Type, every Next names a state, every non-terminal state has Next or End, Choice has Choices,
 * Wait has exactly one of its duration fields, Choice rules use known operators with values of the right type, Task
 * resources are ones dmap runs, Retry/Catch are well-formed, paths start with '$'. Errors name the path, e.g. {@code ItemProcessor.States.Check.Choices}.
 */
public final class StateMachineParser {

    static final Set<String> TYPES = Set.of("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map");
    static final Set<String> WAIT_FIELDS = Set.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath");

    /** Task resources the worker runs itself (plus Lambda function ARNs, resolved by the worker's configuration). */
    public static final Set<String> TASK_RESOURCES = Set.of(
            "arn:aws:states:::http:invoke",
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::aws-sdk:s3:getObject",
            "arn:aws:states:::aws-sdk:s3:headObject",
            "arn:aws:states:::aws-sdk:s3:copyObject",
            "arn:aws:states:::aws-sdk:s3:putObject");
    static final String LAMBDA_ARN_PREFIX = "arn:aws:lambda:";

    private StateMachineParser() {
    }

    public static void validate(JsonNode machine, String path) {
        if (machine == null || !machine.isObject()) {
            throw new SpecException(path, "must be an object with StartAt and States");
        }
        queryLanguage(machine, path);
        JsonNode states = machine.get("States");
        if (states == null || !states.isObject() || states.isEmpty()) {
            throw new SpecException(path + ".States", "must be a non-empty object of states");
        }
        JsonNode startAt = machine.get("StartAt");
        if (startAt == null || !startAt.isTextual()) {
            throw new SpecException(path + ".StartAt", "is required and must be a string");
        }
        if (!states.has(startAt.asText())) {
            throw new SpecException(path + ".StartAt", "names no state: '" + startAt.asText() + "'");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            validateState(e.getValue(), path + ".States." + e.getKey(), states);
        }
    }

    private static void validateState(JsonNode state, String path, JsonNode states) {
        if (!state.isObject()) {
            throw new SpecException(path, "must be an object");
        }
        JsonNode typeNode = state.get("Type");
        String type = typeNode == null ? null : typeNode.asText();
        if (type == null || !TYPES.contains(type)) {
            throw new SpecException(path + ".Type", "must be one of " + new java.util.TreeSet<>(TYPES)
                    + (type == null ? "" : ", was '" + type + "'"));
        }
        queryLanguage(state, path);
        switch (type) {
            case "Choice" -> validateChoice(state, path, states);
            case "Succeed", "Fail" -> {
                if (state.has("Next") || state.has("End")) {
                    throw new SpecException(path, type + " states are terminal and take neither Next nor End");
                }
            }
            default -> validateTransition(state, path, states);
        }
        if (!type.equals("Fail")) {
            PathValidator.paths(state, path);
        }
        if (type.equals("Wait")) {
            validateWait(state, path);
        }
        if (type.equals("Task")) {
            validateTask(state, path, states);
        }
        if (type.equals("Parallel")) {
            JsonNode branches = state.get("Branches");
            if (branches == null || !branches.isArray() || branches.isEmpty()) {
                throw new SpecException(path + ".Branches", "a Parallel state needs a non-empty Branches array");
            }
            for (int i = 0; i < branches.size(); i++) {
                validate(branches.get(i), path + ".Branches[" + i + "]");
            }
        }
        if (type.equals("Map")) {
            validateInlineMap(state, path);
        }
        if (type.equals("Parallel") || type.equals("Map")) {
            errorHandling(state, path, states);
        }
    }

    /** A Map inside a child execution runs inline: its items come from ItemsPath, not from an ItemReader. */
    private static void validateInlineMap(JsonNode state, String path) {
        if (state.has("ItemReader") || state.has("ResultWriter") || state.has("ItemBatcher")) {
            throw new SpecException(path, "a Map inside the ItemProcessor runs inline: ItemReader, ItemBatcher and"
                    + " ResultWriter are not supported there");
        }
        String field = state.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
        JsonNode processor = state.get(field);
        if (processor == null) {
            throw new SpecException(path + ".ItemProcessor", "is required for a Map state");
        }
        JsonNode mode = processor.path("ProcessorConfig").path("Mode");
        if (!mode.isMissingNode() && !"INLINE".equals(mode.asText())) {
            throw new SpecException(path + "." + field + ".ProcessorConfig.Mode",
                    "must be INLINE inside a child execution (a nested Distributed Map is not supported)");
        }
        validate(processor, path + "." + field);
        JsonNode itemsPath = state.get("ItemsPath");
        if (itemsPath != null && !(itemsPath.isTextual() && itemsPath.asText().startsWith("$"))) {
            throw new SpecException(path + ".ItemsPath", "must be a path starting with '$'");
        }
        for (String selector : new String[]{"ItemSelector", "Parameters"}) {
            if (state.has(selector)) {
                PathValidator.template(state.get(selector), path + "." + selector);
            }
        }
    }

    private static void errorHandling(JsonNode state, String path, JsonNode states) {
        if (state.has("Retry")) {
            ErrorHandlingValidator.retry(state.get("Retry"), path + ".Retry");
        }
        if (state.has("Catch")) {
            ErrorHandlingValidator.catchers(state.get("Catch"), path + ".Catch", states);
        }
    }

    /** dmap evaluates JSONPath; JSONata definitions would silently misbehave, so they are refused. */
    private static void queryLanguage(JsonNode node, String path) {
        JsonNode language = node.get("QueryLanguage");
        if (language != null && !"JSONPath".equals(language.asText())) {
            throw new SpecException(path + ".QueryLanguage", "only JSONPath is supported by dmap, was '" + language.asText() + "'");
        }
    }

    private static void validateWait(JsonNode state, String path) {
        long present = WAIT_FIELDS.stream().filter(state::has).count();
        if (present != 1) {
            throw new SpecException(path, "a Wait state needs exactly one of " + WAIT_FIELDS);
        }
        JsonNode seconds = state.get("Seconds");
        if (seconds != null && (!seconds.isIntegralNumber() || seconds.longValue() < 0 || seconds.longValue() > 99_999_999)) {
            throw new SpecException(path + ".Seconds", "must be an integer from 0 to 99999999");
        }
        JsonNode timestamp = state.get("Timestamp");
        if (timestamp != null && !timestamp.isTextual()) {
            throw new SpecException(path + ".Timestamp", "must be an RFC 3339 timestamp string");
        }
        for (String field : new String[]{"SecondsPath", "TimestampPath"}) {
            JsonNode p = state.get(field);
            if (p != null && !(p.isTextual() && p.asText().startsWith("$"))) {
                throw new SpecException(path + "." + field, "must be a path starting with '$'");
            }
        }
    }

    private static void validateTask(JsonNode state, String path, JsonNode states) {
        JsonNode resource = state.get("Resource");
        if (resource == null || !resource.isTextual() || resource.asText().isBlank()) {
            throw new SpecException(path + ".Resource", "is required for a Task state");
        }
        String arn = resource.asText();
        if (!TASK_RESOURCES.contains(arn) && !arn.startsWith(LAMBDA_ARN_PREFIX)) {
            throw new SpecException(path + ".Resource", "'" + arn + "' is not supported by dmap; use one of "
                    + new java.util.TreeSet<>(TASK_RESOURCES) + " or a Lambda function ARN");
        }
        JsonNode timeout = state.get("TimeoutSeconds");
        if (timeout != null && (!timeout.isIntegralNumber() || timeout.longValue() < 1 || timeout.longValue() > 99_999_999)) {
            throw new SpecException(path + ".TimeoutSeconds", "must be an integer from 1 to 99999999");
        }
        JsonNode timeoutPath = state.get("TimeoutSecondsPath");
        if (timeoutPath != null && !(timeoutPath.isTextual() && timeoutPath.asText().startsWith("$"))) {
            throw new SpecException(path + ".TimeoutSecondsPath", "must be a path starting with '$'");
        }
        errorHandling(state, path, states);
    }

    private static void validateTransition(JsonNode state, String path, JsonNode states) {
        boolean end = state.path("End").asBoolean(false);
        JsonNode next = state.get("Next");
        if (end && next != null) {
            throw new SpecException(path, "has both Next and End");
        }
        if (!end && next == null) {
            throw new SpecException(path, "needs Next or \"End\": true");
        }
        if (next != null) {
            checkTarget(next, path + ".Next", states);
        }
    }

    private static void validateChoice(JsonNode state, String path, JsonNode states) {
        JsonNode choices = state.get("Choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw new SpecException(path + ".Choices", "a Choice state needs a non-empty Choices array");
        }
        for (int i = 0; i < choices.size(); i++) {
            JsonNode rule = choices.get(i);
            String rulePath = path + ".Choices[" + i + "]";
            if (!rule.isObject()) {
                throw new SpecException(rulePath, "must be an object");
            }
            checkTarget(rule.get("Next"), rulePath + ".Next", states);
            ChoiceRuleValidator.validate(rule, rulePath, true);
        }
        if (state.has("Default")) {
            checkTarget(state.get("Default"), path + ".Default", states);
        }
        if (state.has("End") || state.has("Next")) {
            throw new SpecException(path, "a Choice state takes neither Next nor End (use Choices and Default)");
        }
    }

    private static void checkTarget(JsonNode next, String path, JsonNode states) {
        if (next == null || !next.isTextual()) {
            throw new SpecException(path, "is required and must be a state name");
        }
        if (!states.has(next.asText())) {
            throw new SpecException(path, "names no state: '" + next.asText() + "'");
        }
    }
}
