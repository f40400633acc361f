package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * A user changed a running run's settings (AWS UpdateMapRun). A null field is left unchanged. The tolerances are
 * applied (and the threshold judged again) at once; {@code maxConcurrency} only affects batches placed afterwards.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunUpdated(int v, String mapRunId, Integer toleratedFailureCount, Double toleratedFailurePercentage,
                         Integer maxConcurrency, Instant at) implements RunEvent {

    public static RunUpdated of(String mapRunId, Integer toleratedFailureCount, Double toleratedFailurePercentage,
                                Integer maxConcurrency, Instant at) {
        return new RunUpdated(SCHEMA_VERSION, mapRunId, toleratedFailureCount, toleratedFailurePercentage,
                maxConcurrency, at);
    }
}
