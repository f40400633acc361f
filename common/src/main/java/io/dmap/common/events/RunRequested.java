package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A run was accepted by the planner. {@code spec} is the Map state as posted. {@code parent} (added later; null for a
 * run posted on its own) is the parent execution whose Distributed Map state started the run.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRequested(int v, String mapRunId, String name, Instant requestedAt, RunConfig config, JsonNode spec,
                           ParentRef parent) implements RunEvent {

    /** The fields of the first version (a run without a parent execution). */
    public RunRequested(int v, String mapRunId, String name, Instant requestedAt, RunConfig config, JsonNode spec) {
        this(v, mapRunId, name, requestedAt, config, spec, null);
    }

    public static RunRequested of(String mapRunId, String name, Instant at, RunConfig config, JsonNode spec) {
        return new RunRequested(SCHEMA_VERSION, mapRunId, name, at, config, spec, null);
    }

    public static RunRequested of(String mapRunId, String name, Instant at, RunConfig config, JsonNode spec,
                                  ParentRef parent) {
        return new RunRequested(SCHEMA_VERSION, mapRunId, name, at, config, spec, parent);
    }
}
