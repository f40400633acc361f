package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * The child execution of a batch ended (or was never started, {@link ExecutionStatus#NOT_STARTED}).
 * {@code input} is the execution's input, {@code output} its output (SUCCEEDED only), {@code error}
 * and {@code cause} are set for FAILED / TIMED_OUT / ABORTED. startDate is null when not started.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecutionFinished(int v, String mapRunId, long batchIndex, int itemCount, ExecutionStatus status,
                                JsonNode input, JsonNode output, String error, String cause,
                                Instant startDate, Instant stopDate, int redriveCount, String worker)
        implements OutcomeEvent {

    public static ExecutionFinished succeeded(BatchMessage batch, JsonNode output, Instant start, Instant stop, String worker) {
        return new ExecutionFinished(SCHEMA_VERSION, batch.mapRunId(), batch.batchIndex(), batch.itemCount(),
                ExecutionStatus.SUCCEEDED, batch.input(), output, null, null, start, stop, batch.redriveCount(), worker);
    }

    public static ExecutionFinished failed(BatchMessage batch, ExecutionStatus status, String error, String cause,
                                           Instant start, Instant stop, String worker) {
        return new ExecutionFinished(SCHEMA_VERSION, batch.mapRunId(), batch.batchIndex(), batch.itemCount(),
                status, batch.input(), null, error, cause, start, stop, batch.redriveCount(), worker);
    }

    public static ExecutionFinished notStarted(BatchMessage batch, Instant at, String worker) {
        return new ExecutionFinished(SCHEMA_VERSION, batch.mapRunId(), batch.batchIndex(), batch.itemCount(),
                ExecutionStatus.NOT_STARTED, batch.input(), null, null, null, null, at, batch.redriveCount(), worker);
    }
}
