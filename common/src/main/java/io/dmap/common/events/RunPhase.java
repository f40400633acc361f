package io.dmap.common.events;

/**
 * Where a map run is in its life ({@link MapRunStatus#phase()} on the wire, by name). The order is the order a run
 * goes through; a redrive takes a DONE run back to RUNNING.
 */
public enum RunPhase {
    /** RunRequested seen; batches are being published. */
    PLANNING,
    /** RunPlanned seen: the totals are known. */
    RUNNING,
    /** Every batch has a terminal outcome; the result files are being written. */
    WRITING_RESULTS,
    /** ResultsWritten seen: the status is final and the manifest readable. */
    DONE;

    /** Outcomes can still change the run's counts and fate. */
    public boolean executing() {
        return this == PLANNING || this == RUNNING;
    }
}
