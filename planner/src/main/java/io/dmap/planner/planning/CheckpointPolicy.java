package io.dmap.planner.planning;

import java.time.Duration;

/**
 * When planning commits a checkpoint: after {@code everyBatches} new batches or {@code every} time, whichever
 * comes first (and only when a batch was closed since the last one).
 */
public record CheckpointPolicy(int everyBatches, Duration every) {

    /** Only at the end: for sinks that do not checkpoint. */
    public static final CheckpointPolicy NEVER = new CheckpointPolicy(Integer.MAX_VALUE, Duration.ofDays(365));
}
