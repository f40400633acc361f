package io.dmap.planner.messaging;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** At start: create the missing topics first, then start reading map-run-status (so it is never auto-created). */
@ApplicationScoped
public class PlannerStartup {

    void onStart(@Observes StartupEvent event, KafkaClients kafka, StatusView statusView) {
        kafka.ensureTopics();
        statusView.start();
    }
}
