package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.Problems;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Retry and Catch: ErrorEquals lists, retry numbers in AWS's ranges; problems reported with their paths. */
final class ErrorHandlingCompiler {

    private static final Set<String> RETRIER_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts",
            "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment");

    private ErrorHandlingCompiler() {
    }

    static Retrier.Rule retrier(JsonNode r, String path, boolean last, Problems problems) {
        if (!r.isObject()) {
            problems.add(path, "must be an object");
            return null;
        }
        Fields.only(r, RETRIER_FIELDS, "a retrier", path, problems);
        List<String> errorEquals = errorEquals(r, path, last, problems);
        long interval = integer(r, "IntervalSeconds", path, 1, 99_999_999, 1, problems);
        long attempts = integer(r, "MaxAttempts", path, 0, 99_999_999, 3, problems);
        long maxDelay = integer(r, "MaxDelaySeconds", path, 1, 31_622_400, -1, problems);
        JsonNode backoff = r.get("BackoffRate");
        if (backoff != null && (!backoff.isNumber() || backoff.doubleValue() < 1.0)) {
            problems.add(path + ".BackoffRate", "must be a number of at least 1.0");
        }
        JsonNode jitter = r.get("JitterStrategy");
        if (jitter != null && !Set.of("FULL", "NONE").contains(jitter.asText())) {
            problems.add(path + ".JitterStrategy", "must be FULL or NONE");
        }
        return new Retrier.Rule(errorEquals, interval, (int) attempts,
                backoff != null && backoff.isNumber() ? backoff.doubleValue() : 2.0,
                maxDelay < 0 ? null : maxDelay, jitter != null && "FULL".equals(jitter.asText()));
    }

    static List<String> errorEquals(JsonNode handler, String path, boolean last, Problems problems) {
        JsonNode names = handler.get("ErrorEquals");
        List<String> out = new ArrayList<>();
        if (names == null || !names.isArray() || names.isEmpty()) {
            problems.add(path + ".ErrorEquals", "must be a non-empty array of error names");
            return out;
        }
        for (JsonNode n : names) {
            if (!n.isTextual() || n.asText().isEmpty()) {
                problems.add(path + ".ErrorEquals", "must hold error names (strings)");
                continue;
            }
            if (n.asText().equals(StatesError.ALL) && (names.size() > 1 || !last)) {
                problems.add(path + ".ErrorEquals", "States.ALL must appear alone, in the last entry");
            }
            out.add(n.asText());
        }
        return List.copyOf(out);
    }

    private static long integer(JsonNode node, String field, String path, long min, long max, long dflt,
                                Problems problems) {
        JsonNode v = node.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || v.longValue() < min || v.longValue() > max) {
            problems.add(path + "." + field, "must be an integer from " + min + " to " + max);
            return dflt;
        }
        return v.longValue();
    }
}
