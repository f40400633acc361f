package io.dmap.common.events;

import java.util.List;

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

    /**
     * Every phase change a run makes, and what makes it: the table of docs/aggregator.md ("Phases"), which a test
     * compares with this one; another checks that the aggregator's RunState makes these changes and no others. One
     * event can make two in a row (a RunPlanned after the last outcome: PLANNING, RUNNING, WRITING_RESULTS).
     */
    public static final List<Transition> TRANSITIONS = List.of(
            new Transition(PLANNING, RUNNING, "RunPlanned, or PlanningFailed: the totals are known"),
            new Transition(RUNNING, WRITING_RESULTS, "every batch 0..totalBatches-1 has a terminal outcome"),
            new Transition(WRITING_RESULTS, DONE, "ResultsWritten"),
            new Transition(DONE, RUNNING, "RedriveRequested of a run that ended FAILED or ABORTED"));

    /** Outcomes can still change the run's counts and fate. */
    public boolean executing() {
        return this == PLANNING || this == RUNNING;
    }

    /** One row of {@link #TRANSITIONS}. */
    public record Transition(RunPhase from, RunPhase to, String cause) {
    }
}
