package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A run was accepted by the planner. {@code spec} is the Map state as posted. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRequested(int v, String mapRunId, String name, Instant requestedAt, RunConfig config, JsonNode spec)
        implements RunEvent {

    public static RunRequested of(String mapRunId, String name, Instant at, RunConfig config, JsonNode spec) {
        return new RunRequested(SCHEMA_VERSION, mapRunId, name, at, config, spec);
    }
}
