package io.dmap.planner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The planner's own settings, under {@code planner.*}. */
@ConfigMapping(prefix = "planner")
public interface PlannerConfig {

    /** How many runs are planned at the same time (each lists its source and publishes its batches on one thread). */
    @WithDefault("4")
    int planningThreads();

    /** How long {@code POST /map-runs} and {@code POST /map-runs/{id}/abort} wait for Kafka to acknowledge the event. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** Page size of {@code GET /map-runs} when {@code maxResults} is not given. */
    @WithDefault("100")
    int defaultPageSize();

    /**
     * How long a POST with a Name waits for the status view to catch up with map-run-status after a start, so
     * that a Name posted before the restart is recognised.
     */
    @WithDefault("10s")
    Duration statusCatchUpTimeout();
}
