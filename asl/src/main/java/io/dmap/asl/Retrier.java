package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Retry field of one state entry: the first retrier whose ErrorEquals matches decides, with its own attempt
 * count; delay = IntervalSeconds x BackoffRate^attempt, capped by MaxDelaySeconds, FULL jitter draws from [0, delay].
 */
final class Retrier {

    private final JsonNode retriers;
    private final int[] attempts;

    Retrier(JsonNode retriers) {
        this.retriers = retriers != null && retriers.isArray() ? retriers : null;
        this.attempts = new int[this.retriers == null ? 0 : this.retriers.size()];
    }

    /** The delay before the next attempt, or null when {@code error} is not to be retried (any more). */
    Duration nextDelay(String error) {
        for (int i = 0; i < attempts.length; i++) {
            JsonNode r = retriers.get(i);
            if (!matches(r.get("ErrorEquals"), error)) {
                continue;
            }
            int max = r.path("MaxAttempts").asInt(3);
            if (attempts[i] >= max) {
                return null;
            }
            double seconds = r.path("IntervalSeconds").asDouble(1) * Math.pow(r.path("BackoffRate").asDouble(2.0), attempts[i]);
            if (r.has("MaxDelaySeconds")) {
                seconds = Math.min(seconds, r.get("MaxDelaySeconds").asDouble());
            }
            if ("FULL".equals(r.path("JitterStrategy").asText())) {
                seconds = ThreadLocalRandom.current().nextDouble() * seconds;
            }
            attempts[i]++;
            return Duration.ofMillis((long) (seconds * 1000));
        }
        return null;
    }

    /**
     * Whether ErrorEquals names {@code error}. States.ALL matches any error; States.TaskFailed matches any error
     * but States.Timeout (as in AWS).
     */
    static boolean matches(JsonNode errorEquals, String error) {
        if (errorEquals == null || !errorEquals.isArray()) {
            return false;
        }
        for (JsonNode name : errorEquals) {
            String n = name.asText();
            if (n.equals(StatesError.ALL) || n.equals(error)
                    || n.equals(StatesError.TASK_FAILED) && !StatesError.TIMEOUT.equals(error)) {
                return true;
            }
        }
        return false;
    }
}
