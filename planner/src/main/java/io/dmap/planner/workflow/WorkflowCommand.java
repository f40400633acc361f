package io.dmap.planner.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * StopExecution or RedriveExecution asked of any planner replica, for the replica that drives the execution: kept on
 * the {@code executions} topic under {@code <arn>#<kind>} in the execution's partition until the driver has applied
 * it. {@code redriveCount}: the redrive it asks for (the execution's count + 1), so a repeated command is one redrive.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkflowCommand(int v, String kind, String executionArn, String error, String cause, int redriveCount,
                              Instant at) {

    public static final String STOP = "stop";
    public static final String REDRIVE = "redrive";

    static WorkflowCommand stop(String arn, String error, String cause, Instant at) {
        return new WorkflowCommand(1, STOP, arn, error, cause, 0, at);
    }

    static WorkflowCommand redrive(String arn, int redriveCount, Instant at) {
        return new WorkflowCommand(1, REDRIVE, arn, null, null, redriveCount, at);
    }

    String key() {
        return key(executionArn, kind);
    }

    static String key(String arn, String kind) {
        return arn + "#" + kind;
    }
}
