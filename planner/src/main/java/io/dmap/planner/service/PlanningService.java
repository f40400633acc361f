package io.dmap.planner.service;

import io.dmap.common.events.PlanningFailed;
import io.dmap.common.spec.MapRunSpec;
import io.dmap.planner.config.PlannerConfig;
import io.dmap.planner.messaging.KafkaClients;
import io.dmap.planner.messaging.KafkaPlanSink;
import io.dmap.planner.messaging.RunEventPublisher;
import io.dmap.planner.planning.BatchPlanner;
import io.dmap.planner.planning.ItemReaderFactory;
import io.dmap.planner.planning.PlanResult;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Plans accepted runs on a small pool of worker threads, one run per thread, off the HTTP threads. */
@ApplicationScoped
public class PlanningService {

    private static final Logger LOG = Logger.getLogger(PlanningService.class);

    private final KafkaClients kafka;
    private final RunEventPublisher runEvents;
    private final ItemReaderFactory readers;
    private final ExecutorService executor;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();

    public PlanningService(KafkaClients kafka, RunEventPublisher runEvents, ItemReaderFactory readers, PlannerConfig config,
                           MeterRegistry metrics) {
        this.kafka = kafka;
        this.runEvents = runEvents;
        this.readers = readers;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(config.planningThreads(), r -> {
            Thread t = new Thread(r, "dmap-planning-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public void submit(String mapRunId, MapRunSpec spec) {
        executor.execute(() -> plan(mapRunId, spec));
    }

    private void plan(String mapRunId, MapRunSpec spec) {
        try {
            int partitions = kafka.batchPartitions();
            KafkaPlanSink sink = new KafkaPlanSink(kafka.producer(), kafka.topics().batches(), runEvents);
            PlanResult result = new BatchPlanner(sink, clock).plan(mapRunId, spec, readers.readerFor(spec), partitions);
            count(result);
            if (result.planned()) {
                LOG.infof("map run %s: planned %d items in %d batches over %d partitions", mapRunId, result.items(),
                        result.batches(), partitions);
            } else {
                LOG.warnf("map run %s: planning failed after %d batches: %s: %s", mapRunId, result.batches(),
                        result.error(), result.cause());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "map run %s: planning failed unexpectedly", mapRunId);
            reportUnexpected(mapRunId, e);
        }
    }

    private void count(PlanResult result) {
        metrics.counter("dmap.planner.runs.planned", "outcome", result.planned() ? "planned" : result.error()).increment();
        metrics.counter("dmap.planner.items.planned").increment(result.items());
        metrics.counter("dmap.planner.batches.published").increment(result.batches());
    }

    private void reportUnexpected(String mapRunId, RuntimeException failure) {
        try {
            runEvents.publish(PlanningFailed.of(mapRunId, BatchPlanner.RUNTIME, "planning failed: " + failure.getMessage(),
                    0, 0, clock.instant()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "map run %s: cannot publish PlanningFailed either", mapRunId);
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
