package io.dmap.common.spec;

/**
 * Where a run's batches go on the batches topic (DESIGN.md, Parallelism): a run with MaxConcurrency M
 * spreads its batches round-robin over {@code min(M, P)} consecutive partitions (all P when M is 0),
 * starting at a partition derived from its id. Each partition is one worker lane working serially, so
 * at most {@code min(M, P)} of the run's batches run at once.
 */
public final class Placement {

    private Placement() {
    }

    public static int lanes(int maxConcurrency, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions must be positive: " + partitions);
        }
        return maxConcurrency <= 0 ? partitions : Math.min(maxConcurrency, partitions);
    }

    public static int firstPartition(String mapRunId, int partitions) {
        return Math.floorMod(mapRunId.hashCode(), partitions);
    }

    public static int partitionFor(String mapRunId, long batchIndex, int maxConcurrency, int partitions) {
        int lanes = lanes(maxConcurrency, partitions);
        long offset = Math.floorMod(batchIndex, (long) lanes);
        return (int) ((firstPartition(mapRunId, partitions) + offset) % partitions);
    }
}
