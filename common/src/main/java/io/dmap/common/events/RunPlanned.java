package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/** Planning finished: the run has exactly {@code totalItems} items in {@code totalBatches} batches (0..totalBatches-1). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunPlanned(int v, String mapRunId, long totalItems, long totalBatches, Instant at) implements RunEvent {

    public static RunPlanned of(String mapRunId, long totalItems, long totalBatches, Instant at) {
        return new RunPlanned(SCHEMA_VERSION, mapRunId, totalItems, totalBatches, at);
    }
}
