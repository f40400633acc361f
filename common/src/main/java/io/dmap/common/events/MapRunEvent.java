package io.dmap.common.events;

/**
 * Anything that happens to one map run, from either of the aggregator's input topics: a {@link RunEvent}
 * (map-runs) or an {@link OutcomeEvent} (map-outcomes), both keyed by map run id. The aggregator's processor takes
 * this one type in; each topic keeps its own JSON type tags, so nothing on the wire changes.
 */
public sealed interface MapRunEvent permits RunEvent, OutcomeEvent {

    String mapRunId();
}
