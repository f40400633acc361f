package io.dmap.common.events;

/** Terminal status of one child execution. NOT_STARTED: skipped because the run had already ended. */
public enum ExecutionStatus {
    SUCCEEDED, FAILED, TIMED_OUT, ABORTED, NOT_STARTED
}
