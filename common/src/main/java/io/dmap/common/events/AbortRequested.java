package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/** A user asked to abort the run: batches not yet started are never started. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AbortRequested(int v, String mapRunId, Instant at) implements RunEvent {

    public static AbortRequested of(String mapRunId, Instant at) {
        return new AbortRequested(SCHEMA_VERSION, mapRunId, at);
    }
}
