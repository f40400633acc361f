package io.dmap.planner.health;

import io.dmap.common.topics.Topics;
import io.dmap.planner.messaging.KafkaClients;
import io.dmap.planner.messaging.StatusView;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Ready when Kafka answers, dmap's topics exist and the status view has read map-run-status up to its start. */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    private final KafkaClients kafka;
    private final StatusView statusView;

    public KafkaReadiness(KafkaClients kafka, StatusView statusView) {
        this.kafka = kafka;
        this.statusView = statusView;
    }

    @Override
    public HealthCheckResponse call() {
        Topics topics = kafka.topics();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka")
                .withData("bootstrap.servers", kafka.bootstrapServers())
                .withData("statusViewCaughtUp", statusView.caughtUp());
        try {
            List<String> names = List.of(topics.runs(), topics.batches(), topics.outcomes(), topics.status(),
                    topics.checkpoints());
            kafka.admin().describeTopics(names).allTopicNames().get(3, TimeUnit.SECONDS);
            response.withData("topics", String.join(",", names));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("error", "interrupted").build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
        return response.status(statusView.caughtUp()).build();
    }
}
