package io.dmap.planner.rest;

import io.dmap.common.events.RunStatus;

/** Answer to {@code POST /map-runs} and {@code POST /map-runs/{id}/abort}. */
public record StartResponse(String mapRunId, RunStatus status) {
}
