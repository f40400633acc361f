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

    private final String error;
    private final String cause;

    public StatesError(String error, String cause) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.cause = cause;
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

    /** States.Runtime is never retried nor caught, not even by States.ALL (as in AWS). */
    public boolean catchable() {
        return !RUNTIME.equals(error);
    }
}
