package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.SpecException;

import java.util.Set;

/** Retry and Catch of a Task state: ErrorEquals lists, retry numbers in range, catchers that lead somewhere. */
final class ErrorHandlingValidator {

    private static final String ALL = "States.ALL";

    private ErrorHandlingValidator() {
    }

    static void retry(JsonNode retriers, String path) {
        array(retriers, path);
        for (int i = 0; i < retriers.size(); i++) {
            JsonNode r = retriers.get(i);
            String at = path + "[" + i + "]";
            errorEquals(r, at, i == retriers.size() - 1);
            integer(r, "IntervalSeconds", at, 1);
            integer(r, "MaxAttempts", at, 0);
            integer(r, "MaxDelaySeconds", at, 1);
            JsonNode backoff = r.get("BackoffRate");
            if (backoff != null && (!backoff.isNumber() || backoff.doubleValue() < 1.0)) {
                throw new SpecException(at + ".BackoffRate", "must be a number of at least 1.0");
            }
            JsonNode jitter = r.get("JitterStrategy");
            if (jitter != null && !Set.of("FULL", "NONE").contains(jitter.asText())) {
                throw new SpecException(at + ".JitterStrategy", "must be FULL or NONE");
            }
        }
    }

    static void catchers(JsonNode catchers, String path, JsonNode states) {
        array(catchers, path);
        for (int i = 0; i < catchers.size(); i++) {
            JsonNode c = catchers.get(i);
            String at = path + "[" + i + "]";
            errorEquals(c, at, i == catchers.size() - 1);
            JsonNode next = c.get("Next");
            if (next == null || !next.isTextual()) {
                throw new SpecException(at + ".Next", "is required and must be a state name");
            }
            if (!states.has(next.asText())) {
                throw new SpecException(at + ".Next", "names no state: '" + next.asText() + "'");
            }
            PathValidator.resultPath(c, at);
        }
    }

    private static void array(JsonNode node, String path) {
        if (!node.isArray()) {
            throw new SpecException(path, "must be an array");
        }
        for (JsonNode e : node) {
            if (!e.isObject()) {
                throw new SpecException(path, "must be an array of objects");
            }
        }
    }

    private static void errorEquals(JsonNode handler, String path, boolean last) {
        JsonNode names = handler.get("ErrorEquals");
        if (names == null || !names.isArray() || names.isEmpty()) {
            throw new SpecException(path + ".ErrorEquals", "must be a non-empty array of error names");
        }
        for (JsonNode n : names) {
            if (!n.isTextual() || n.asText().isEmpty()) {
                throw new SpecException(path + ".ErrorEquals", "must hold error names (strings)");
            }
            if (n.asText().equals(ALL) && (names.size() > 1 || !last)) {
                throw new SpecException(path + ".ErrorEquals", "States.ALL must appear alone, in the last entry");
            }
        }
    }

    private static void integer(JsonNode node, String field, String path, int min) {
        JsonNode v = node.get(field);
        if (v != null && (!v.isIntegralNumber() || v.longValue() < min || v.longValue() > 99_999_999)) {
            throw new SpecException(path + "." + field, "must be an integer from " + min + " to 99999999");
        }
    }
}
