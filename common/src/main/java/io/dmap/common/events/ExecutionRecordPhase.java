package io.dmap.common.events;

/**
 * The two non-terminal states of the aggregator's record of one child execution (its {@code status}, beside the
 * terminal {@link ExecutionStatus} names): STARTED while it runs; REDRIVING once a redrive re-published its batch
 * and the outcome of that attempt is awaited.
 */
public enum ExecutionRecordPhase {
    STARTED, REDRIVING;

    /** The phase a record's {@code status} names; null for a terminal {@link ExecutionStatus} name. */
    public static ExecutionRecordPhase of(String status) {
        for (ExecutionRecordPhase p : values()) {
            if (p.name().equals(status)) {
                return p;
            }
        }
        return null;
    }
}
