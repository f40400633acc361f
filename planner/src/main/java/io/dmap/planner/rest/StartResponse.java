package io.dmap.planner.rest;

/** Answer to {@code POST /map-runs} and {@code POST /map-runs/{id}/abort}. */
public record StartResponse(String mapRunId, String status) {
}
