package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * A user asked to redrive a run that ended FAILED or ABORTED (AWS RedriveMapRun): the aggregator re-publishes
 * the batches whose executions failed, timed out, were aborted or never started, with the run's next RedriveCount.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RedriveRequested(int v, String mapRunId, Instant at) implements RunEvent {

    public static RedriveRequested of(String mapRunId, Instant at) {
        return new RedriveRequested(SCHEMA_VERSION, mapRunId, at);
    }
}
