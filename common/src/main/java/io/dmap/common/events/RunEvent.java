package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Everything that happens to a map run as a whole, on the {@code map-runs} topic, keyed by map run id.
 * Produced by the planner (requests, planning facts, operator commands) and by the aggregator's
 * result writer ({@link ResultsWritten}); consumed by the aggregator's topology.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RunRequested.class, name = "RunRequested"),
        @JsonSubTypes.Type(value = RunPlanned.class, name = "RunPlanned"),
        @JsonSubTypes.Type(value = PlanningFailed.class, name = "PlanningFailed"),
        @JsonSubTypes.Type(value = AbortRequested.class, name = "AbortRequested"),
        @JsonSubTypes.Type(value = ResultsWritten.class, name = "ResultsWritten"),
        @JsonSubTypes.Type(value = RedriveRequested.class, name = "RedriveRequested"),
        @JsonSubTypes.Type(value = RunUpdated.class, name = "RunUpdated"),
})
public sealed interface RunEvent extends MapRunEvent
        permits RunRequested, RunPlanned, PlanningFailed, AbortRequested, ResultsWritten, RedriveRequested,
        RunUpdated {

    int SCHEMA_VERSION = 1;

    int v();

    String mapRunId();
}
