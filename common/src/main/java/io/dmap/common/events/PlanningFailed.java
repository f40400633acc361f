package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * The item source could not be read ({@code States.ItemReaderFailed}). Batches 0..batchesPublished-1
 * (holding itemsPublished items) were already published; the run fails and they are not started.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanningFailed(int v, String mapRunId, String error, String cause,
                             long itemsPublished, long batchesPublished, Instant at) implements RunEvent {

    public static PlanningFailed of(String mapRunId, String error, String cause, long items, long batches, Instant at) {
        return new PlanningFailed(SCHEMA_VERSION, mapRunId, error, cause, items, batches, at);
    }
}
