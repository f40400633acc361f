package io.dmap.common.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.SpecException;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Structural validation of a child state machine (the ItemProcessor): StartAt names a state, every state has
 * a known Type, every Next names a state, every non-terminal state has Next or End, Choice has Choices,
 * Wait has exactly one of its duration fields. Errors name the path, e.g. {@code ItemProcessor.States.Check.Choices}.
 */
public final class StateMachineParser {

    static final Set<String> TYPES = Set.of("Pass", "Task", "Choice", "Wait", "Succeed", "Fail");
    static final Set<String> NOT_YET = Set.of("Parallel", "Map");
    static final Set<String> WAIT_FIELDS = Set.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath");

    private StateMachineParser() {
    }

    public static void validate(JsonNode machine, String path) {
        if (machine == null || !machine.isObject()) {
            throw new SpecException(path, "must be an object with StartAt and States");
        }
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
            throw new SpecException(path + ".Type", NOT_YET.contains(type)
                    ? "'" + type + "' states are not supported by dmap yet"
                    : "must be one of " + TYPES + (type == null ? "" : ", was '" + type + "'"));
        }
        switch (type) {
            case "Choice" -> validateChoice(state, path, states);
            case "Succeed", "Fail" -> {
                if (state.has("Next") || state.has("End")) {
                    throw new SpecException(path, type + " states are terminal and take neither Next nor End");
                }
            }
            default -> validateTransition(state, path, states);
        }
        if (type.equals("Wait")) {
            long present = WAIT_FIELDS.stream().filter(state::has).count();
            if (present != 1) {
                throw new SpecException(path, "a Wait state needs exactly one of " + WAIT_FIELDS);
            }
        }
        if (type.equals("Task")) {
            JsonNode resource = state.get("Resource");
            if (resource == null || !resource.isTextual() || resource.asText().isBlank()) {
                throw new SpecException(path + ".Resource", "is required for a Task state");
            }
        }
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
