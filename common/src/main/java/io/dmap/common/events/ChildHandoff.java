package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A worker hands a STANDARD child execution that starts nested map runs (a Distributed Map among its states) to the
 * planner's parent engine, instead of running it on its lane, which it would hold while the nested run waits for
 * lanes (with every lane's child waiting, nothing would move). Written to the compacted {@code executions} topic under
 * {@link #key(String)} in the partition of {@code executionArn} (murmur2 of the ARN, as the parent engine places
 * executions), so the replica that drives that partition starts the child and then clears the record. A batch
 * delivered again hands off the same record: the engine starts one child per (execution, {@code redriveCount}).
 *
 * <p>The child's outcome is the batch's: when it ends, the engine publishes the {@link ExecutionFinished} the worker
 * would have sent ({@code mapRunId}, {@code batchIndex}, {@code itemCount}, {@code redriveCount}, the input or
 * {@code inputRef}), which the aggregator counts once; and {@link ExecutionStarted} when it starts the child (which
 * may be later than the handoff: the engine keeps the outer run's MaxConcurrency). {@code input} is the child's input (read from
 * {@code inputRef} when the batch came by claim check); {@code processor} the ItemProcessor as the worker runs it; {@code handedOffAt} when the worker handed it off.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChildHandoff(int v, String executionArn, String executionName, String stateMachineArn,
                           String mapRunId, long batchIndex, int itemCount, int redriveCount, JsonNode input,
                           BatchInputRef inputRef, JsonNode processor, Instant handedOffAt, String worker) {

    public static final int SCHEMA_VERSION = 1;
    /** The suffix of its key on {@code executions} ({@code <execution ARN>#handoff}). */
    public static final String KIND = "handoff";

    public static String key(String executionArn) {
        return executionArn + "#" + KIND;
    }

    public String key() {
        return key(executionArn);
    }

    /**
     * The batch's outcome once the child, started at {@code start}, ended ({@code output} for SUCCEEDED; error and
     * cause otherwise).
     */
    public ExecutionFinished finished(ExecutionStatus status, JsonNode output, String error, String cause,
                                      Instant start, Instant stop, String by) {
        return new ExecutionFinished(OutcomeEvent.SCHEMA_VERSION, mapRunId, batchIndex, itemCount, status,
                inputRef == null ? input : null, status == ExecutionStatus.SUCCEEDED ? output : null, error, cause,
                start, stop, redriveCount, by, inputRef);
    }

    /** The outer run stopped before the child was started: its batch is reported not started (result file PENDING). */
    public ExecutionFinished notStarted(Instant at, String by) {
        return finished(ExecutionStatus.NOT_STARTED, null, null, null, null, at, by);
    }

    public ExecutionStarted started(Instant at, String by) {
        return ExecutionStarted.of(mapRunId, batchIndex, itemCount, at, by);
    }
}
