package io.dmap.common.events;

/**
 * A child execution's status as dmap's executions API and ListExecutions report it: AWS's execution statuses and
 * dmap's own NOT_STARTED (skipped because the run had ended first). The aggregator derives it from its record of the
 * execution: STARTED is RUNNING, REDRIVING (published again by a redrive, not yet restarted) is PENDING_REDRIVE,
 * a terminal record is its {@link ExecutionStatus}.
 */
public enum ChildExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE, NOT_STARTED;

    public static ChildExecutionStatus of(ExecutionRecordPhase phase) {
        return phase == ExecutionRecordPhase.STARTED ? RUNNING : PENDING_REDRIVE;
    }

    public static ChildExecutionStatus of(ExecutionStatus terminal) {
        return valueOf(terminal.name());
    }

    /** FAILED, TIMED_OUT or ABORTED: what a redrive runs again besides NOT_STARTED, and what counts as a failure. */
    public boolean failure() {
        return this == FAILED || this == TIMED_OUT || this == ABORTED;
    }

    /** A value of AWS's ListExecutions {@code statusFilter} (all but dmap's NOT_STARTED). */
    public boolean aws() {
        return this != NOT_STARTED;
    }
}
