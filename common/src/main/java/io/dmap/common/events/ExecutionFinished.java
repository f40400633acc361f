package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * The child execution of a batch ended (or was never started, {@link ExecutionStatus#NOT_STARTED}).
 * {@code input} is the execution's input, {@code output} its output (SUCCEEDED only), {@code error}
 * and {@code cause} are set for FAILED / TIMED_OUT / ABORTED. startDate is null when not started.
 *
 * <p>{@code inputRef} (nullable): the batch's input was passed by claim check ({@link BatchMessage#inputRef()}), so
 * {@code input} is null and the input is the JSON object stored there (the result writer reads it from there).
 *
 * <p>{@code outputRef} (nullable): the output was too big for a Kafka message, so the worker stored it in S3 (as JSON)
 * and {@code output} is null; the output is the JSON value stored there (the result writer reads it from there).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecutionFinished(int v, String mapRunId, long batchIndex, int itemCount, ExecutionStatus status,
                                JsonNode input, JsonNode output, String error, String cause,
                                Instant startDate, Instant stopDate, int redriveCount, String worker,
                                BatchInputRef inputRef, BatchInputRef outputRef)
        implements OutcomeEvent {

    /** The fields of the second version (input by claim check, output inline). */
    public ExecutionFinished(int v, String mapRunId, long batchIndex, int itemCount, ExecutionStatus status,
                             JsonNode input, JsonNode output, String error, String cause,
                             Instant startDate, Instant stopDate, int redriveCount, String worker,
                             BatchInputRef inputRef) {
        this(v, mapRunId, batchIndex, itemCount, status, input, output, error, cause, startDate, stopDate, redriveCount,
                worker, inputRef, null);
    }

    /** The fields of the first version (input inline). */
    public ExecutionFinished(int v, String mapRunId, long batchIndex, int itemCount, ExecutionStatus status,
                             JsonNode input, JsonNode output, String error, String cause,
                             Instant startDate, Instant stopDate, int redriveCount, String worker) {
        this(v, mapRunId, batchIndex, itemCount, status, input, output, error, cause, startDate, stopDate, redriveCount,
                worker, null, null);
    }

    /** The same outcome with its output stored at {@code ref} instead of inline. */
    public ExecutionFinished withOutputRef(BatchInputRef ref) {
        return new ExecutionFinished(v, mapRunId, batchIndex, itemCount, status, input, null, error, cause, startDate,
                stopDate, redriveCount, worker, inputRef, ref);
    }

    public static ExecutionFinished succeeded(BatchMessage batch, JsonNode output, Instant start, Instant stop, String worker) {
        return new ExecutionFinished(SCHEMA_VERSION, batch.mapRunId(), batch.batchIndex(), batch.itemCount(),
                ExecutionStatus.SUCCEEDED, batch.input(), output, null, null, start, stop, batch.redriveCount(), worker, batch.inputRef());
    }

    public static ExecutionFinished failed(BatchMessage batch, ExecutionStatus status, String error, String cause,
                                           Instant start, Instant stop, String worker) {
        return new ExecutionFinished(SCHEMA_VERSION, batch.mapRunId(), batch.batchIndex(), batch.itemCount(),
                status, batch.input(), null, error, cause, start, stop, batch.redriveCount(), worker, batch.inputRef());
    }

    public static ExecutionFinished notStarted(BatchMessage batch, Instant at, String worker) {
        return new ExecutionFinished(SCHEMA_VERSION, batch.mapRunId(), batch.batchIndex(), batch.itemCount(),
                ExecutionStatus.NOT_STARTED, batch.input(), null, null, null, null, at, batch.redriveCount(), worker,
                batch.inputRef());
    }
}
