package io.dmap.worker.messaging;

import io.dmap.asl.StateMachineInterpreter;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Placement;
import io.dmap.service.DmapConfig;
import io.dmap.service.kafka.KafkaClientConfig;
import io.dmap.service.kafka.TopicCreator;
import io.dmap.service.tracing.RunTracing;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.config.WorkerConfig;
import io.dmap.worker.execution.BatchExecutor;
import io.dmap.worker.execution.LargeOutputs;
import io.dmap.worker.s3.S3BatchInputs;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Traces across the real broker: a batch record carrying the planning span's context (as the planner's
 * TransactionalPlanSink writes it) runs as a child-execution span, its child, whose context the outcome records
 * carry on to map-outcomes. Spans go to an in-memory exporter.
 */
@ExtendWith(DmapInfraExtension.class)
class TracingTest {

    private static final int PARTITIONS = 2;

    @Test
    void eachChildExecutionIsASpanUnderItsRunsPlanningAndItsOutcomeCarriesIt(DmapInfra infra) throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
        RunTracing tracing = new RunTracing(otel);
        String namespace = "tracing-" + UUID.randomUUID().toString().substring(0, 8);
        DmapConfig dmap = TestConfigs.dmap(namespace, PARTITIONS);
        WorkerConfig config = TestConfigs.worker(namespace + "-workers", "w1", Duration.ofSeconds(5));
        KafkaSettings kafka = TestConfigs.kafka(infra.bootstrapServers(), dmap, config);
        TopicCreator.ensure(KafkaClientConfig.of(kafka.bootstrapServers()), kafka.topics(), PARTITIONS, 2, (short) 1);
        OutcomePublisher publisher = new OutcomePublisher(kafka, LargeOutputs.NONE, 512 * 1024);
        BatchExecutor executor = new BatchExecutor(new StateMachineInterpreter((r, p) -> p), publisher,
                (id, redrive) -> false, (s, i, d) -> { }, "w1", Clock.systemUTC(), Duration.ofMillis(200),
                new S3BatchInputs(infra.s3())).tracing(tracing);
        BatchLanes lanes = new BatchLanes(kafka, config, executor, new RunDefinitions(kafka));
        lanes.start();
        String run = "run-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            Span planning = tracing.planning(run);
            try (Scope scope = planning.makeCurrent()) {
                publish(producer, kafka, BatchMessage.of(run, 0, 0, 1, Json.parse("{\"a\":1}"),
                        Json.parse("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}")));
                publish(producer, kafka, BatchMessage.of(run, 1, 1, 1, Json.parse("{\"a\":2}"),
                        Json.parse("{\"StartAt\":\"F\",\"States\":{\"F\":{\"Type\":\"Fail\",\"Error\":\"Item.Bad\"}}}")));
            } finally {
                planning.end();
            }

            Map<Long, String> outcomeParents = outcomeTraceparents(infra, kafka.topics().outcomes(), run, 2);

            List<SpanData> children = awaitSpans(spans, "dmap child execution", 2);
            SpanData plan = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("dmap plan map run"))
                    .findFirst().orElseThrow();
            assertEquals(run, plan.getAttributes().get(RunTracing.MAP_RUN_ID));
            for (SpanData child : children) {
                assertEquals(plan.getTraceId(), child.getTraceId(), "one trace per run");
                assertEquals(plan.getSpanId(), child.getParentSpanId(), "a child of the run's planning");
                assertEquals(SpanKind.CONSUMER, child.getKind());
                assertEquals(run, child.getAttributes().get(RunTracing.MAP_RUN_ID));
                long batch = child.getAttributes().get(RunTracing.BATCH_INDEX);
                assertEquals(0L, child.getAttributes().get(RunTracing.REDRIVE_COUNT));
                String traceparent = outcomeParents.get(batch);
                assertNotNull(traceparent, "the outcome of batch " + batch + " carries a trace context");
                assertEquals("00-" + child.getTraceId() + "-" + child.getSpanId() + "-01", traceparent,
                        "the outcome carries the child execution's span");
                if (batch == 1) {
                    assertEquals(StatusCode.ERROR, child.getStatus().getStatusCode());
                    assertEquals("FAILED", child.getAttributes().get(
                            io.opentelemetry.api.common.AttributeKey.stringKey("dmap.execution.status")));
                }
            }
        } finally {
            lanes.stop();
        }
    }

    private static void publish(KafkaProducer<String, byte[]> producer, KafkaSettings kafka, BatchMessage batch)
            throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(kafka.topics().batches(),
                Placement.partitionFor(batch.mapRunId(), batch.batchIndex(), 0, PARTITIONS), batch.key(), Json.toBytes(batch));
        RunTracing.inject(record.headers());
        producer.send(record).get();
    }

    /** The traceparent header of each ExecutionFinished of the run, by batch index. */
    private static Map<Long, String> outcomeTraceparents(DmapInfra infra, String topic, String run, int batches) {
        Map<Long, String> found = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "tracing-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (found.size() < batches && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (run.equals(r.key()) && r.value().contains("\"type\":\"ExecutionFinished\"")) {
                        Header h = r.headers().lastHeader("traceparent");
                        found.put(Json.parse(r.value()).get("batchIndex").asLong(),
                                h == null ? null : new String(h.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        assertEquals(batches, found.size(), "outcomes of " + run + ": " + found);
        return found;
    }

    private static List<SpanData> awaitSpans(InMemorySpanExporter spans, String name, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<SpanData> found = List.of();
        while (System.nanoTime() < deadline) {
            found = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(50);
        }
        assertTrue(found.size() >= count, name + " spans: " + found);
        return found;
    }
}
