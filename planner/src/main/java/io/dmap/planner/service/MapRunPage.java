package io.dmap.planner.service;

import io.dmap.common.events.MapRunStatus;

import java.util.List;

/** One page of ListMapRuns: {@code nextToken} is null on the last page. */
public record MapRunPage(List<MapRunStatus> mapRuns, String nextToken) {
}
