package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * The result writer finished with a run: the manifest is at {@code manifestKey} in {@code bucket}
 * ({@code error} null), or writing failed ({@code error} = States.ResultWriterFailed, {@code cause} says why).
 * {@code itemsWritten} counts the items whose records are in the result files.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResultsWritten(int v, String mapRunId, String bucket, String manifestKey, long itemsWritten,
                             String error, String cause, Instant at) implements RunEvent {

    public static ResultsWritten ok(String mapRunId, String bucket, String manifestKey, long items, Instant at) {
        return new ResultsWritten(SCHEMA_VERSION, mapRunId, bucket, manifestKey, items, null, null, at);
    }

    public static ResultsWritten failed(String mapRunId, String error, String cause, Instant at) {
        return new ResultsWritten(SCHEMA_VERSION, mapRunId, null, null, 0, error, cause, at);
    }
}
