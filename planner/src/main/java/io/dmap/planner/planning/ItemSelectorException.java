package io.dmap.planner.planning;

/**
 * The ItemSelector cannot be applied to some item (a path that selects nothing, a failing intrinsic or JSONata
 * expression): the run fails with {@link #error()} ({@code States.Runtime}, or {@code States.QueryEvaluationError} for
 * JSONata), like AWS.
 */
public class ItemSelectorException extends RuntimeException {

    private final String error;

    public ItemSelectorException(String message) {
        this(BatchPlanner.RUNTIME, message);
    }

    public ItemSelectorException(String error, String message) {
        super(message);
        this.error = error;
    }

    public String error() {
        return error;
    }
}
