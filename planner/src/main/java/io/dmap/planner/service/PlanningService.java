package io.dmap.planner.service;

import io.opentelemetry.api.OpenTelemetry;
import io.dmap.service.tracing.RunTracing;
import io.dmap.common.topics.Topics;
import io.dmap.planner.config.PlannerConfig;
import io.dmap.planner.messaging.ClaimCheck;
import io.dmap.planner.messaging.KafkaClients;
import io.dmap.planner.messaging.PlannerGroup;
import io.dmap.planner.messaging.PlannerSettings;
import io.dmap.planner.planning.CheckpointPolicy;
import io.dmap.planner.planning.ItemReaderFactory;
import io.dmap.planner.planning.PlanResult;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;

/**
 * Runs this replica's {@link PlannerGroup}: the runs requested on map-runs are planned by whichever planner
 * replica owns their partition, resumably, so POST only publishes RunRequested.
 */
@ApplicationScoped
public class PlanningService {

    private final KafkaClients kafka;
    private final ItemReaderFactory readers;
    private final PlannerConfig config;
    private final MeterRegistry metrics;
    private final S3Client s3;
    private PlannerGroup group;
    private final OpenTelemetry otel;

    public PlanningService(KafkaClients kafka, ItemReaderFactory readers, PlannerConfig config, MeterRegistry metrics,
                           S3Client s3, OpenTelemetry otel) {
        this.otel = otel;
        this.kafka = kafka;
        this.s3 = s3;
        this.readers = readers;
        this.config = config;
        this.metrics = metrics;
    }

    /** Joins the planners' group (after the topics exist). */
    public synchronized void start() {
        if (group != null) {
            return;
        }
        Topics topics = kafka.topics();
        String groupId = topics.namespace().isEmpty() ? config.groupId() : topics.namespace() + "." + config.groupId();
        PlannerSettings settings = new PlannerSettings(kafka.config(), topics, groupId,
                new CheckpointPolicy(config.checkpointEveryBatches(), config.checkpointInterval()), Duration.ofSeconds(60),
                new ClaimCheck(s3, config.claimCheck().bucket().orElse(null), config.claimCheck().prefix(),
                        config.claimCheck().maxMessageBytes()), config.limits().maxItemsPerRun(), new RunTracing(otel));
        group = new PlannerGroup(settings, readers, Clock.systemUTC(), this::count);
        group.start();
    }

    private void count(String mapRunId, PlanResult result) {
        metrics.counter("dmap.planner.runs.planned", "outcome", result.planned() ? "planned" : result.error()).increment();
        metrics.counter("dmap.planner.items.planned").increment(result.items());
        metrics.counter("dmap.planner.batches.published").increment(result.batches());
    }

    @PreDestroy
    synchronized void stop() {
        if (group != null) {
            group.close();
        }
    }
}
