package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one child execution ended. INTERRUPTED means the worker is stopping and the execution was cut short:
 * it has no outcome and must run again elsewhere.
 */
public record ExecutionResult(Status status, JsonNode output, String error, String cause) {

    public enum Status { SUCCEEDED, FAILED, INTERRUPTED }

    public static ExecutionResult succeeded(JsonNode output) {
        return new ExecutionResult(Status.SUCCEEDED, output, null, null);
    }

    public static ExecutionResult failed(String error, String cause) {
        return new ExecutionResult(Status.FAILED, null, error, cause);
    }

    public static ExecutionResult interrupted() {
        return new ExecutionResult(Status.INTERRUPTED, null, null, "interrupted");
    }

    public boolean timedOut() {
        return status == Status.FAILED && StatesError.TIMEOUT.equals(error);
    }
}
