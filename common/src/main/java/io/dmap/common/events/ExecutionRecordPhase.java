package io.dmap.common.events;

/**
 * The two non-terminal states of the aggregator's record of one child execution (its {@code status}, beside the
 * terminal {@link ExecutionStatus} names): STARTED while it runs; REDRIVING once a redrive re-published its batch
 * and the outcome of that attempt is awaited.
 */
public enum ExecutionRecordPhase {
    STARTED, REDRIVING
}
