package io.dmap.worker.execution;

/**
 * Whether a run's fate is decided (stopping, or a terminal status), so that its remaining batches are not started.
 * {@code redriveCount} is the batch's: a batch of a redrive newer than the stopped status is not judged by it.
 */
@FunctionalInterface
public interface RunStatusLookup {

    boolean finished(String mapRunId, int redriveCount);
}
