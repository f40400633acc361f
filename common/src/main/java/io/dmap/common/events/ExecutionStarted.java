package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/** A worker lane began running the child execution of a batch. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecutionStarted(int v, String mapRunId, long batchIndex, int itemCount, Instant startDate, String worker)
        implements OutcomeEvent {

    public static ExecutionStarted of(String mapRunId, long batchIndex, int itemCount, Instant startDate, String worker) {
        return new ExecutionStarted(SCHEMA_VERSION, mapRunId, batchIndex, itemCount, startDate, worker);
    }
}
