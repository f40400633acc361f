package io.dmap.planner.messaging;

import io.dmap.planner.service.PlanningService;
import io.dmap.planner.workflow.WorkflowService;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * At start: create the missing topics first, then start reading map-run-status (so it is never auto-created) and
 * join the planners' group; then read the parent executions and join their drivers' group.
 */
@ApplicationScoped
public class PlannerStartup {

    void onStart(@Observes StartupEvent event, KafkaClients kafka, StatusView statusView, PlanningService planning,
                 WorkflowService workflows) {
        kafka.ensureTopics();
        statusView.start();
        planning.start();
        workflows.startEngine();
    }
}
