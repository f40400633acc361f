package io.dmap.worker;

import io.opentelemetry.api.OpenTelemetry;
import io.dmap.service.tracing.RunTracing;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.config.WorkerConfig;
import io.dmap.worker.execution.BatchExecutor;
import io.dmap.worker.execution.BatchMetrics;
import io.dmap.worker.messaging.ChildHandoffPublisher;
import io.dmap.worker.messaging.OutcomePublisher;
import io.dmap.worker.messaging.RunStatusView;
import io.dmap.worker.s3.S3BatchInputs;
import io.dmap.asl.Sleeper;
import io.dmap.asl.StateMachineInterpreter;
import io.dmap.service.task.HttpInvoke;
import io.dmap.service.task.LambdaInvoke;
import io.dmap.service.task.OutboundGuard;
import io.dmap.service.task.S3Actions;
import io.dmap.service.task.TaskResources;
import io.dmap.service.BucketGuard;
import io.dmap.service.DmapConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.http.HttpClient;
import java.util.List;
import java.time.Clock;

/** Wires the plain-Java parts (interpreter, Task resources, batch executor) to the Kafka adapters and metrics. */
public class WorkerBeans {

    @Produces
    @Singleton
    StateMachineInterpreter interpreter(WorkerConfig config, DmapConfig dmap, S3Client s3) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(config.http().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER) // HttpInvoke follows them, checking each target
                .build();
        OutboundGuard guard = new OutboundGuard(config.outbound().allowedHosts().orElse(List.of()),
                config.outbound().allowLoopback(), config.outbound().allowLinkLocal());
        return new StateMachineInterpreter(new TaskResources(new HttpInvoke(http, config.http().requestTimeout(), guard),
                new LambdaInvoke(http, config.lambda().functions(), guard), new S3Actions(s3, BucketGuard.of(dmap))),
                Sleeper.REAL, Clock.systemUTC(), config.inlineConcurrency());
    }

    @Produces
    @Singleton
    BatchExecutor batchExecutor(StateMachineInterpreter interpreter, OutcomePublisher outcomes, RunStatusView runs,
                                MeterRegistry registry, KafkaSettings kafka, WorkerConfig config, S3BatchInputs inputs,
                                OpenTelemetry otel, ChildHandoffPublisher handoffs) {
        return new BatchExecutor(interpreter, outcomes, runs, metrics(registry),
                kafka.workerName(), Clock.systemUTC(), config.abortCheckInterval(), inputs, config.startedReportDelay())
                .resumedAtOnce(config.resumedAtOnce()).tracing(new RunTracing(otel)).handoffs(handoffs);
    }

    /**
     * {@code dmap.worker.batches{status}} and {@code dmap.worker.items{status}} counters, and the
     * {@code dmap.worker.batch.duration{status}} timer of executions that ran.
     */
    static BatchMetrics metrics(MeterRegistry registry) {
        return (status, items, took) -> {
            registry.counter(BATCHES, "status", status.name()).increment();
            registry.counter(ITEMS, "status", status.name()).increment(items);
            if (status != ExecutionStatus.NOT_STARTED) {
                registry.timer(DURATION, "status", status.name()).record(took);
            }
        };
    }

    static final String BATCHES = "dmap.worker.batches";
    static final String ITEMS = "dmap.worker.items";
    static final String DURATION = "dmap.worker.batch.duration";

    /** Registers the meters at zero so that dashboards show every status from the start. */
    static void registerCounters(MeterRegistry registry) {
        for (ExecutionStatus s : ExecutionStatus.values()) {
            registry.counter(BATCHES, "status", s.name());
            registry.counter(ITEMS, "status", s.name());
            if (s != ExecutionStatus.NOT_STARTED) {
                registry.timer(DURATION, "status", s.name());
            }
        }
    }
}
