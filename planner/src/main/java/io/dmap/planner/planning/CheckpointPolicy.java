package io.dmap.planner.planning;

import java.time.Duration;

/**
 * When planning commits a checkpoint (and with it the planning transaction): after {@code everyBatches} new batches
 * or {@code every} time, whichever comes first (and only when a batch was closed since the last one).
 *
 * <p>A commit blocks planning for a broker round trip and writes a marker to every partition the transaction touched,
 * so transactions should be few and large; but a batch is invisible to the workers until its transaction commits, so
 * the first ones should commit soon. Hence the interval grows: the first checkpoint after {@link #FIRST} at most,
 * each later one after twice the previous interval, up to {@code every}. Such an early checkpoint waits for
 * {@link #EARLY_BATCHES} batches: a small run is planned in one transaction (its last), whatever the machine's load.
 */
public record CheckpointPolicy(int everyBatches, Duration every) {

    /** The longest wait for the first checkpoint of a planning (when {@code every} is not shorter). */
    public static final Duration FIRST = Duration.ofMillis(100);

    /** Only at the end: for sinks that do not checkpoint. */
    public static final CheckpointPolicy NEVER = new CheckpointPolicy(Integer.MAX_VALUE, Duration.ofDays(365));

    /** A checkpoint before {@code every} has passed waits for this many new batches. */
    public static final int EARLY_BATCHES = 100;

    /**
     * Whether a checkpoint is due, {@code newBatches} batches and {@code sinceLastMillis} after the last one (or the
     * start), {@code taken} checkpoints into the planning.
     */
    public boolean due(long newBatches, long sinceLastMillis, int taken) {
        if (newBatches <= 0) {
            return false;
        }
        return newBatches >= everyBatches || sinceLastMillis >= every.toMillis()
                || (newBatches >= EARLY_BATCHES && sinceLastMillis >= intervalMillis(taken));
    }

    /** How long after the previous checkpoint (or the start) the one after {@code taken} checkpoints is due. */
    public long intervalMillis(int taken) {
        long max = every.toMillis();
        long first = Math.min(FIRST.toMillis(), max);
        return taken >= 30 ? max : Math.min(max, first << taken);
    }
}
