package io.dmap.worker.health;

import io.dmap.worker.config.WorkerConfig;
import io.dmap.worker.messaging.BatchLanes;
import io.dmap.worker.messaging.GroupLag;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the batch consumer is polling map-batches (with or without partitions assigned) and the worker's topics
 * exist (as of the last {@link GroupLag} lookup).
 */
@Readiness
@ApplicationScoped
public class LanesReadiness implements HealthCheck {

    private final BatchLanes lanes;
    private final WorkerConfig config;
    private final GroupLag groupLag;

    public LanesReadiness(BatchLanes lanes, WorkerConfig config, GroupLag groupLag) {
        this.lanes = lanes;
        this.groupLag = groupLag;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = !config.enabled() || (lanes.polling() && groupLag.topicsExist());
        return HealthCheckResponse.named("batch-lanes")
                .status(up)
                .withData("polling", lanes.polling())
                .withData("topicsExist", groupLag.topicsExist())
                .withData("assignedPartitions", lanes.assignedPartitions())
                .withData("busyLanes", lanes.busyLanes())
                .build();
    }
}
