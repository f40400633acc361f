package io.dmap.aggregator.topology;

/**
 * A run is done: its definition on map-run-definitions is no longer needed (its remaining batches are skipped, a
 * redriven batch carries its ItemProcessor), so the topology writes a tombstone there ({@link AggregatorTopology}).
 */
record RetiredDefinition(String mapRunId) {
}
