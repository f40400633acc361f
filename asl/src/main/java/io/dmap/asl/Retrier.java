package io.dmap.asl;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Retry field of one state entry: the first retrier whose ErrorEquals matches decides, with its own attempt
 * count; delay = IntervalSeconds x BackoffRate^attempt, capped by MaxDelaySeconds, FULL jitter draws from [0, delay].
 */
final class Retrier {

    /** One compiled retrier, with AWS's defaults filled in (IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0). */
    record Rule(List<String> errorEquals, long intervalSeconds, int maxAttempts, double backoffRate,
                Long maxDelaySeconds, boolean fullJitter) { }

    private final List<Rule> rules;
    private final int[] attempts;

    Retrier(List<Rule> rules) {
        this.rules = rules;
        this.attempts = new int[rules.size()];
    }

    /** Resumes the attempt counts a parent execution kept ({@link #attempts()}) across a suspension. */
    Retrier(List<Rule> rules, List<Integer> attempts) {
        this(rules);
        for (int i = 0; i < this.attempts.length && attempts != null && i < attempts.size(); i++) {
            this.attempts[i] = attempts.get(i);
        }
    }

    /** The attempts made so far, per retrier. */
    List<Integer> attempts() {
        return java.util.Arrays.stream(attempts).boxed().toList();
    }

    /** The delay before the next attempt, or null when {@code error} is not to be retried (any more). */
    Duration nextDelay(String error) {
        for (int i = 0; i < attempts.length; i++) {
            Rule r = rules.get(i);
            if (!matches(r.errorEquals(), error)) {
                continue;
            }
            if (attempts[i] >= r.maxAttempts()) {
                return null;
            }
            double seconds = r.intervalSeconds() * Math.pow(r.backoffRate(), attempts[i]);
            if (r.maxDelaySeconds() != null) {
                seconds = Math.min(seconds, r.maxDelaySeconds());
            }
            if (r.fullJitter()) {
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
    static boolean matches(List<String> errorEquals, String error) {
        for (String n : errorEquals) {
            if (n.equals(StatesError.ALL) || n.equals(error)
                    || n.equals(StatesError.TASK_FAILED) && !StatesError.TIMEOUT.equals(error)) {
                return true;
            }
        }
        return false;
    }
}
