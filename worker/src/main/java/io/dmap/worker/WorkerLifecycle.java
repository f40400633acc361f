package io.dmap.worker;

import io.dmap.service.kafka.TopicCreator;
import io.dmap.service.DmapConfig;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.config.WorkerConfig;
import io.dmap.worker.messaging.BatchLanes;
import io.dmap.worker.messaging.GroupLag;
import io.dmap.worker.messaging.RunDefinitions;
import io.dmap.worker.messaging.RunStatusView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Start: topics exist, the run status view has caught up, then the lanes take batches. Stop (SIGTERM): no new
 * batches, running ones finish within {@code worker.drain-timeout}, their offsets are committed.
 */
@ApplicationScoped
public class WorkerLifecycle {

    private static final Logger LOG = Logger.getLogger(WorkerLifecycle.class);

    private final KafkaSettings kafka;
    private final DmapConfig dmap;
    private final WorkerConfig config;
    private final RunStatusView statusView;
    private final BatchLanes lanes;
    private final MeterRegistry registry;
    private final GroupLag groupLag;
    private final RunDefinitions definitions;

    public WorkerLifecycle(KafkaSettings kafka, DmapConfig dmap, WorkerConfig config, RunStatusView statusView,
                           BatchLanes lanes, MeterRegistry registry, GroupLag groupLag, RunDefinitions definitions) {
        this.definitions = definitions;
        this.groupLag = groupLag;
        this.kafka = kafka;
        this.dmap = dmap;
        this.config = config;
        this.statusView = statusView;
        this.lanes = lanes;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) throws InterruptedException {
        WorkerBeans.registerCounters(registry);
        registry.gauge("dmap.worker.partitions.assigned", lanes, BatchLanes::assignedPartitions);
        registry.gauge("dmap.worker.lanes.busy", lanes, BatchLanes::busyLanes);
        registry.gauge("dmap.worker.lanes.occupancy", lanes,
                l -> l.assignedPartitions() == 0 ? 0 : (double) l.busyLanes() / l.assignedPartitions());
        registry.gauge("dmap.worker.consumer.lag", groupLag, g -> g.lag() < 0 ? Double.NaN : g.lag());
        if (!config.enabled()) {
            LOG.info("worker lanes are disabled (worker.enabled=false)");
            return;
        }
        TopicCreator.ensure(kafka.clients(), kafka.topics(), dmap.topics().batchPartitions(),
                dmap.topics().partitions(), dmap.topics().replicationFactor());
        groupLag.start();
        statusView.start(Duration.ofSeconds(30));
        definitions.start();
        lanes.start();
        LOG.infof("worker %s taking batches from %s in group %s", kafka.workerName(), kafka.topics().batches(), config.groupId());
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (!config.enabled()) {
            return;
        }
        LOG.infof("worker %s stopping: finishing running batches", kafka.workerName());
        lanes.stop();
        statusView.stop();
        definitions.stop();
        groupLag.stop();
    }
}
