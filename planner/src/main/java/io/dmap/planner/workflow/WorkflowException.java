package io.dmap.planner.workflow;

/**
 * An error of the AWS-compatible API with AWS's name as {@code type} (ExecutionDoesNotExist,
 * ExecutionAlreadyExists, ExecutionNotRedrivable, ValidationException, ...) and its message; the wire protocol
 * answers it as {@code {"__type": type, "message": message}} with status 400.
 */
public class WorkflowException extends RuntimeException {

    private final String type;

    public WorkflowException(String type, String message) {
        super(message);
        this.type = type;
    }

    public String type() {
        return type;
    }
}
