package io.dmap.planner.service;

/**
 * A request past one of the planner's limits ({@code planner.limits.*}): {@code error} is AWS's name for it,
 * {@code httpStatus} the status of the answer.
 */
public class LimitExceededException extends RuntimeException {

    private final String error;
    private final int httpStatus;

    public LimitExceededException(String error, int httpStatus, String message) {
        super(message);
        this.error = error;
        this.httpStatus = httpStatus;
    }

    /** AWS's answer to too many open executions (StartExecution). */
    public static LimitExceededException openRuns(int open, int limit) {
        return new LimitExceededException("ExecutionLimitExceeded", 400, "The maximum number of open map runs has been "
                + "reached (" + open + " of " + limit + ", planner.limits.max-open-runs). Open runs must end or be "
                + "aborted before a new map run can be started.");
    }

    /** AWS's ValidationException for a request over the size limit, with HTTP's 413. */
    public static LimitExceededException requestSize(long bytes, int limit) {
        return new LimitExceededException("ValidationException", 413, "1 validation error detected: the request body "
                + "is " + bytes + " bytes, more than " + limit + " (planner.limits.max-request-bytes)");
    }

    public String error() {
        return error;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
