package io.dmap.bench.chaos;

import java.util.List;
import java.util.Random;

/**
 * What one chaos round does, drawn from {@code Random(seed, round)} alone, so that {@code --seed S --only R}
 * replays round R exactly as planned (the machine's timing still varies).
 *
 * @param kind        the kind of run started
 * @param fault       kill (SIGKILL) or pause (SIGSTOP, then SIGCONT after {@code pauseMillis})
 * @param target      the supervised process hit: kafka, s3, aggregator, worker-N or planner-N
 * @param delayMillis how long after the run's POST the fault comes
 * @param pauseMillis for a pause: how long the process stays stopped (longer than its Kafka session timeout)
 * @param actionMillis abort: when the abort is sent; redrive: unused (the redrive follows the first attempt's end)
 */
record RoundPlan(int round, Kind kind, Fault fault, String target, long delayMillis, long pauseMillis, long actionMillis) {

    enum Kind { LISTING, JSONL_FAILURES, ABORT, REDRIVE, SPLIT_RESULTS }

    enum Fault { KILL, PAUSE }

    /** Session timeouts: the aggregator's Kafka Streams 10 s; planners' and workers' consumers Kafka's default 45 s. */
    static long pauseFor(String target) {
        if (target.equals("aggregator")) {
            return 12_000;
        }
        if (target.startsWith("worker") || target.startsWith("planner")) {
            return 47_000;
        }
        return 15_000; // the broker, the S3 server: longer than the clients' request timeouts' first retries
    }

    static RoundPlan draw(long seed, int round, List<String> targets, boolean pauses) {
        Random r = new Random(seed * 1_000_003L + round);
        Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
        String target = targets.get(r.nextInt(targets.size()));
        Fault fault = pauses && r.nextInt(4) == 0 ? Fault.PAUSE : Fault.KILL;
        long delay = 500 + r.nextInt(kind == Kind.ABORT ? 8_000 : 12_000);
        long action = 3_000 + r.nextInt(6_000);
        return new RoundPlan(round, kind, fault, target, delay, fault == Fault.PAUSE ? pauseFor(target) : 0, action);
    }

    /** The same round with its fault on {@code other} (its pause as long as that process needs). */
    RoundPlan hitting(String other) {
        return new RoundPlan(round, kind, fault, other, delayMillis, fault == Fault.PAUSE ? pauseFor(other) : 0, actionMillis);
    }
}
