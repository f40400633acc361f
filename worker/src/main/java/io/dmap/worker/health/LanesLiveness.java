package io.dmap.worker.health;

import io.dmap.worker.messaging.BatchLanes;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Down when the batch poll loop died: a restart is the way back to taking batches. */
@Liveness
@ApplicationScoped
public class LanesLiveness implements HealthCheck {

    private final BatchLanes lanes;

    public LanesLiveness(BatchLanes lanes) {
        this.lanes = lanes;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("batch-poll-loop").status(!lanes.broken()).build();
    }
}
