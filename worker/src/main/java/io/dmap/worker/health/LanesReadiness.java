package io.dmap.worker.health;

import io.dmap.worker.config.WorkerConfig;
import io.dmap.worker.messaging.BatchLanes;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the batch consumer is polling map-batches (with or without partitions assigned). */
@Readiness
@ApplicationScoped
public class LanesReadiness implements HealthCheck {

    private final BatchLanes lanes;
    private final WorkerConfig config;

    public LanesReadiness(BatchLanes lanes, WorkerConfig config) {
        this.lanes = lanes;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = !config.enabled() || lanes.polling();
        return HealthCheckResponse.named("batch-lanes")
                .status(up)
                .withData("assignedPartitions", lanes.assignedPartitions())
                .build();
    }
}
