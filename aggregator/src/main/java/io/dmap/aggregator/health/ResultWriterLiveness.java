package io.dmap.aggregator.health;

import io.dmap.aggregator.messaging.ResultWriterLoop;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the result writer's thread runs: without it, finished runs would never get their result files. */
@Liveness
@ApplicationScoped
public class ResultWriterLiveness implements HealthCheck {

    private final ResultWriterLoop loop;

    public ResultWriterLiveness(ResultWriterLoop loop) {
        this.loop = loop;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("result-writer").status(loop.alive()).build();
    }
}
