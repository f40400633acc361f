package io.dmap.worker;

import io.dmap.common.events.ExecutionStatus;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.config.WorkerConfig;
import io.dmap.worker.execution.BatchExecutor;
import io.dmap.worker.messaging.OutcomePublisher;
import io.dmap.worker.messaging.RunStatusView;
import io.dmap.worker.s3.S3BatchInputs;
import io.dmap.worker.statemachine.StateMachineInterpreter;
import io.dmap.worker.task.HttpInvoke;
import io.dmap.worker.task.LambdaInvoke;
import io.dmap.worker.task.S3Actions;
import io.dmap.worker.task.TaskResources;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.http.HttpClient;
import java.time.Clock;

/** Wires the plain-Java parts (interpreter, Task resources, batch executor) to the Kafka adapters and metrics. */
public class WorkerBeans {

    @Produces
    @Singleton
    StateMachineInterpreter interpreter(WorkerConfig config, S3Client s3) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(config.http().connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        return new StateMachineInterpreter(new TaskResources(new HttpInvoke(http, config.http().requestTimeout()),
                new LambdaInvoke(http, config.lambda().functions()), new S3Actions(s3)));
    }

    @Produces
    @Singleton
    BatchExecutor batchExecutor(StateMachineInterpreter interpreter, OutcomePublisher outcomes, RunStatusView runs,
                                MeterRegistry registry, KafkaSettings kafka, WorkerConfig config, S3BatchInputs inputs) {
        return new BatchExecutor(interpreter, outcomes, runs,
                status -> registry.counter("dmap.worker.batches", "status", status.name()).increment(),
                kafka.workerName(), Clock.systemUTC(), config.abortCheckInterval(), inputs);
    }

    /** Registers the counters at zero so that dashboards show every status from the start. */
    static void registerCounters(MeterRegistry registry) {
        for (ExecutionStatus s : ExecutionStatus.values()) {
            registry.counter("dmap.worker.batches", "status", s.name());
        }
    }
}
