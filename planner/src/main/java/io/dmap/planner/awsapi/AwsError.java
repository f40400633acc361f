package io.dmap.planner.awsapi;

import io.dmap.planner.workflow.WorkflowException;

/**
 * An error answer of the Step Functions wire protocol: AWS's error name ({@code __type}), its message, the HTTP status
 * (400 for everything the caller caused, as AWS answers) and, for a ValidationException, AWS's {@code reason}.
 */
public class AwsError extends WorkflowException {

    private final int status;
    private final String reason;

    public AwsError(String type, String message) {
        this(type, message, 400, null);
    }

    public AwsError(String type, String message, int status, String reason) {
        super(type, message);
        this.status = status;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    /** AWS's ValidationExceptionReason (e.g. CANNOT_UPDATE_COMPLETED_MAP_RUN), or null. */
    public String reason() {
        return reason;
    }

    /** A member of the request is missing or wrong: the message starts with the member's name. */
    public static AwsError validation(String member, String problem) {
        return new AwsError("ValidationException", "1 validation error detected: Value at '" + member + "' " + problem);
    }

    public static AwsError validation(String message, String reason, boolean withReason) {
        return new AwsError("ValidationException", message, 400, withReason ? reason : null);
    }

    public static AwsError invalidArn(String member, String arn, String expected) {
        return new AwsError("InvalidArn", "Invalid Arn: '" + arn + "' (" + member + " must be " + expected + ")");
    }
}
