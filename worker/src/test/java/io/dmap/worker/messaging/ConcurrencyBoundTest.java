package io.dmap.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStarted;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Placement;
import io.dmap.service.kafka.KafkaClientConfig;
import io.dmap.service.kafka.TopicCreator;
import io.dmap.common.topics.Topics;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import io.dmap.service.DmapConfig;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.config.WorkerConfig;
import io.dmap.worker.execution.BatchExecutor;
import io.dmap.worker.execution.LargeOutputs;
import io.dmap.worker.s3.S3BatchInputs;
import io.dmap.asl.StateMachineInterpreter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run's concurrency bound on the real broker: MaxConcurrency 2 on a batches topic of 6 partitions, two workers,
 * and a third joining mid-run. From the outcomes' start and stop dates: never more than 2 of the run's executions at
 * once (and 2 reached), and no batch run twice, so no batch ran on two lanes at once across the rebalance.
 */
@ExtendWith(DmapInfraExtension.class)
class ConcurrencyBoundTest {

    private static final int PARTITIONS = 6;
    private static final int MAX_CONCURRENCY = 2;
    private static final int BATCHES = 16;
    private static final JsonNode WAIT_1S = Json.parse(
            "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":1,\"End\":true}}}");

    @Test
    void aRunNeverHasMoreThanMaxConcurrencyExecutionsInFlightEvenWhenAWorkerJoins(DmapInfra infra) throws Exception {
        String ns = "bound-" + UUID.randomUUID().toString().substring(0, 8);
        String group = "group-" + ns;
        DmapConfig dmap = TestConfigs.dmap(ns, PARTITIONS);
        Topics topics = Topics.of(ns);
        TopicCreator.ensure(KafkaClientConfig.of(infra.bootstrapServers()), topics, PARTITIONS, 2, (short) 1);
        String run = "run-" + ns;
        List<BatchLanes> workers = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infra.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
             OutcomeReader reader = new OutcomeReader(infra.bootstrapServers(), topics.outcomes())) {
            workers.add(lanes(infra, dmap, group, "w1"));
            workers.add(lanes(infra, dmap, group, "w2"));
            for (long b = 0; b < BATCHES; b++) {
                BatchMessage batch = BatchMessage.of(run, b, b, 1, Json.NODES.objectNode().put("b", b), WAIT_1S);
                int partition = Placement.partitionFor(run, b, MAX_CONCURRENCY, PARTITIONS);
                producer.send(new ProducerRecord<>(topics.batches(), partition, batch.key(), Json.toBytes(batch))).get();
            }
            reader.await(run, e -> e.stream().filter(x -> x instanceof ExecutionFinished).count() >= 4);
            workers.add(lanes(infra, dmap, group, "w3")); // a rebalance mid-run

            reader.await(run, e -> e.stream().filter(x -> x instanceof ExecutionFinished).count() >= BATCHES);
            Thread.sleep(1500); // a duplicate run, if there were one, would show up now
            List<OutcomeEvent> events = reader.await(run, e -> true);

            List<ExecutionFinished> finished = events.stream().filter(e -> e instanceof ExecutionFinished)
                    .map(e -> (ExecutionFinished) e).toList();
            assertTrue(finished.stream().allMatch(f -> f.status() == ExecutionStatus.SUCCEEDED), finished::toString);
            assertEquals(BATCHES, finished.size(), "each batch finished once: " + finished);
            assertEquals(BATCHES, finished.stream().map(ExecutionFinished::batchIndex).collect(Collectors.toSet()).size());
            assertEquals(BATCHES, events.stream().filter(e -> e instanceof ExecutionStarted).count(), "each batch started once");
            assertEquals(MAX_CONCURRENCY, maxInFlight(finished), "the most executions of the run in flight at once");
        } finally {
            for (BatchLanes w : workers) {
                w.stop();
            }
        }
    }

    @Test
    void aWorkerRunsNoMoreBatchesAtOnceThanItsLanesMax(DmapInfra infra) throws Exception {
        assertEquals(2, inFlightOnOneWorker(infra, 2), "worker.lanes.max = 2 caps the lanes running at once");
        assertTrue(inFlightOnOneWorker(infra, 0) > 2, "without the cap every assigned partition runs at once");
    }

    /** One worker, a run over all partitions (MaxConcurrency 0), 12 one-second batches: the most in flight at once. */
    private static int inFlightOnOneWorker(DmapInfra infra, int lanesMax) throws Exception {
        String ns = "cap-" + UUID.randomUUID().toString().substring(0, 8);
        DmapConfig dmap = TestConfigs.dmap(ns, PARTITIONS);
        Topics topics = Topics.of(ns);
        TopicCreator.ensure(KafkaClientConfig.of(infra.bootstrapServers()), topics, PARTITIONS, 2, (short) 1);
        String run = "run-" + ns;
        int batches = 12;
        BatchLanes worker = lanes(infra, dmap, "group-" + ns, "solo", lanesMax);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infra.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
             OutcomeReader reader = new OutcomeReader(infra.bootstrapServers(), topics.outcomes())) {
            for (long b = 0; b < batches; b++) {
                BatchMessage batch = BatchMessage.of(run, b, b, 1, Json.NODES.objectNode().put("b", b), WAIT_1S);
                producer.send(new ProducerRecord<>(topics.batches(), Placement.partitionFor(run, b, 0, PARTITIONS),
                        batch.key(), Json.toBytes(batch))).get();
            }
            List<ExecutionFinished> finished = reader.await(run, e -> e.stream()
                            .filter(x -> x instanceof ExecutionFinished).count() >= batches).stream()
                    .filter(e -> e instanceof ExecutionFinished).map(e -> (ExecutionFinished) e).toList();
            assertEquals(batches, finished.size());
            return maxInFlight(finished);
        } finally {
            worker.stop();
        }
    }

    /** The most intervals [startDate, stopDate) open at one instant (an end at t comes before a start at t). */
    static int maxInFlight(List<ExecutionFinished> executions) {
        record Edge(Instant at, int delta) {
        }
        List<Edge> edges = new ArrayList<>();
        for (ExecutionFinished f : executions) {
            edges.add(new Edge(f.startDate(), +1));
            edges.add(new Edge(f.stopDate(), -1));
        }
        edges.sort(Comparator.comparing(Edge::at).thenComparingInt(Edge::delta));
        int open = 0;
        int max = 0;
        for (Edge e : edges) {
            open += e.delta();
            max = Math.max(max, open);
        }
        return max;
    }

    @Test
    void maxInFlightCountsOverlaps() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<ExecutionFinished> three = List.of(at(t, 0, 10), at(t, 2, 5), at(t, 4, 6), at(t, 10, 12));
        assertEquals(3, maxInFlight(three));
        assertEquals(1, maxInFlight(List.of(at(t, 0, 1), at(t, 1, 2), at(t, 2, 3))), "back to back is not an overlap");
    }

    private static ExecutionFinished at(Instant t0, int from, int to) {
        return new ExecutionFinished(1, "r", from, 1, ExecutionStatus.SUCCEEDED, null, null, null, null,
                t0.plusSeconds(from), t0.plusSeconds(to), 0, "w");
    }

    private static BatchLanes lanes(DmapInfra infra, DmapConfig dmap, String group, String name) {
        return lanes(infra, dmap, group, name, 0);
    }

    private static BatchLanes lanes(DmapInfra infra, DmapConfig dmap, String group, String name, int lanesMax) {
        WorkerConfig config = TestConfigs.worker(group, name, Duration.ofSeconds(30), lanesMax);
        KafkaSettings kafka = TestConfigs.kafka(infra.bootstrapServers(), dmap, config);
        BatchExecutor executor = new BatchExecutor(new StateMachineInterpreter((r, p) -> p),
                new OutcomePublisher(kafka, LargeOutputs.NONE, 512 * 1024), (id, redrive) -> false, (s, i, d) -> { }, name,
                Clock.systemUTC(), Duration.ofMillis(200), new S3BatchInputs(infra.s3()));
        BatchLanes lanes = new BatchLanes(kafka, config, executor, new RunDefinitions(kafka));
        lanes.start();
        return lanes;
    }
}
