package io.dmap.asl;

/**
 * An error in the States Language sense: a name ({@code States.TaskFailed}, {@code States.Timeout}, a Fail
 * state's Error, a Lambda's errorType...) and a human-readable cause. Retry and Catch match on the name.
 */
public class StatesError extends Exception {

    public static final String ALL = "States.ALL";
    public static final String TASK_FAILED = "States.TaskFailed";
    public static final String TIMEOUT = "States.Timeout";
    public static final String RUNTIME = "States.Runtime";
    public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    public static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";
    public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";

    private final String error;
    private final String cause;
    private final boolean located;

    public StatesError(String error, String cause) {
        this(error, cause, false);
    }

    private StatesError(String error, String cause, boolean located) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.cause = cause;
        this.located = located;
    }

    /**
     * An error the engine raised while evaluating a state's fields (States.Runtime, States.QueryEvaluationError)
     * gets AWS's prefix naming the state, once. dmap keeps no event history, so AWS's "(entered at the event id
     * #n)" is left out.
     */
    /** A Fail state's own error: it is the user's text and never gets the prefix. */
    StatesError asGiven() {
        return located ? this : new StatesError(error, cause, true);
    }

    StatesError inState(String stateName) {
        if (located || !(RUNTIME.equals(error) || QUERY_EVALUATION_ERROR.equals(error))) {
            return located ? this : new StatesError(error, cause, true);
        }
        return new StatesError(error, "An error occurred while executing the state '" + stateName + "'. " + cause, true);
    }

    public static StatesError runtime(String cause) {
        return new StatesError(RUNTIME, cause);
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }

    /** States.Runtime and States.DataLimitExceeded are never retried nor caught, not even by States.ALL (as in AWS). */
    public boolean catchable() {
        return !RUNTIME.equals(error) && !DATA_LIMIT_EXCEEDED.equals(error);
    }
}
