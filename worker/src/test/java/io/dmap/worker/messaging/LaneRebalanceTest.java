package io.dmap.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStarted;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Placement;
import io.dmap.service.kafka.KafkaClientConfig;
import io.dmap.service.kafka.TopicCreator;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import io.dmap.service.DmapConfig;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.config.WorkerConfig;
import io.dmap.worker.execution.BatchExecutor;
import io.dmap.worker.s3.S3BatchInputs;
import io.dmap.asl.StateMachineInterpreter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lanes on the real broker: a second worker joining, and a worker stopping with a batch running and one queued. */
@ExtendWith(DmapInfraExtension.class)
class LaneRebalanceTest {

    private static final int PARTITIONS = 4;
    private static final JsonNode WAIT_1S = Json.parse(
            "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":1,\"End\":true}}}");
    private static final JsonNode WAIT_3S = Json.parse(
            "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":3,\"End\":true}}}");


    @Test
    void aJoiningWorkerTakesOverPartitionsWithoutRunningABatchTwice(DmapInfra infra) throws Exception {
        String ns = "lanes-" + UUID.randomUUID().toString().substring(0, 8);
        String group = "group-" + ns;
        DmapConfig dmap = TestConfigs.dmap(ns, PARTITIONS);
        String run = "run-" + ns;
        try (KafkaProducer<String, byte[]> producer = producer(infra); OutcomeReader reader = reader(infra, dmap)) {
            BatchLanes a = lanes(infra, dmap, group, "worker-a", Duration.ofSeconds(30));
            for (long b = 0; b < 16; b++) {
                publish(producer, dmap, BatchMessage.of(run, b, b, 1, Json.NODES.objectNode().put("b", b), WAIT_3S));
            }
            reader.await(run, e -> e.stream().anyMatch(x -> x instanceof ExecutionStarted));
            BatchLanes b = lanes(infra, dmap, group, "worker-b", Duration.ofSeconds(30));

            List<OutcomeEvent> events = reader.await(run, e -> finishedBatches(e).size() == 16);
            Thread.sleep(1500); // a duplicate run, if there were one, would show up now
            events = reader.await(run, e -> true);
            assertEquals(16, events.stream().filter(e -> e instanceof ExecutionStarted).count(), events.toString());
            assertEquals(16, events.stream().filter(e -> e instanceof ExecutionFinished).count(), events.toString());
            Set<String> workers = events.stream().filter(e -> e instanceof ExecutionFinished)
                    .map(e -> ((ExecutionFinished) e).worker()).collect(Collectors.toSet());
            assertEquals(Set.of("worker-a", "worker-b"), workers);
            a.stop();
            b.stop();
        }
    }

    @Test
    void stoppingFinishesTheRunningBatchCommitsItAndLeavesQueuedOnesForTheNextWorker(DmapInfra infra) throws Exception {
        String ns = "stop-" + UUID.randomUUID().toString().substring(0, 8);
        String group = "group-" + ns;
        DmapConfig dmap = TestConfigs.dmap(ns, PARTITIONS);
        String run = "run-" + ns;
        try (KafkaProducer<String, byte[]> producer = producer(infra); OutcomeReader reader = reader(infra, dmap)) {
            BatchLanes first = lanes(infra, dmap, group, "first", Duration.ofSeconds(30));
            // MaxConcurrency 1: both batches on one partition, so the second is queued behind the first
            publish(producer, dmap, BatchMessage.of(run, 0, 0, 1, Json.NODES.objectNode(), WAIT_3S), 1);
            publish(producer, dmap, BatchMessage.of(run, 1, 1, 1, Json.NODES.objectNode(), WAIT_1S), 1);
            reader.await(run, e -> e.stream().anyMatch(x -> x instanceof ExecutionStarted));
            first.stop();

            List<OutcomeEvent> events = reader.await(run, e -> true);
            assertEquals(List.of(0L), finishedBatches(events), "the running batch finished, the queued one did not start");
            int partition = Placement.partitionFor(run, 0, 1, PARTITIONS);
            assertEquals(1L, committed(infra, group, new TopicPartition(dmap.topics().namespace().get() + ".map-batches", partition)));

            BatchLanes second = lanes(infra, dmap, group, "second", Duration.ofSeconds(30));
            events = reader.await(run, e -> finishedBatches(e).size() == 2);
            assertEquals(2, events.stream().filter(e -> e instanceof ExecutionStarted).count(), events.toString());
            assertEquals("second", events.stream().filter(e -> e instanceof ExecutionFinished f && f.batchIndex() == 1)
                    .map(e -> ((ExecutionFinished) e).worker()).findFirst().orElseThrow());
            second.stop();
        }
    }

    private BatchLanes lanes(DmapInfra infra, DmapConfig dmap, String group, String name, Duration drain) {
        WorkerConfig config = TestConfigs.worker(group, name, drain);
        KafkaSettings kafka = TestConfigs.kafka(infra.bootstrapServers(), dmap, config);
        TopicCreator.ensure(KafkaClientConfig.of(kafka.bootstrapServers()), kafka.topics(), PARTITIONS, 2, (short) 1);
        OutcomePublisher publisher = new OutcomePublisher(kafka, io.dmap.worker.execution.LargeOutputs.NONE, 512 * 1024);
        BatchExecutor executor = new BatchExecutor(new StateMachineInterpreter((r, p) -> p), publisher, (id, redrive) -> false,
                (s, i, d) -> { }, name, Clock.systemUTC(), Duration.ofMillis(200), new S3BatchInputs(infra.s3()));
        BatchLanes lanes = new BatchLanes(kafka, config, executor, new RunDefinitions(kafka));
        lanes.start();
        return lanes;
    }

    private static List<Long> finishedBatches(List<OutcomeEvent> events) {
        return events.stream().filter(e -> e instanceof ExecutionFinished).map(OutcomeEvent::batchIndex).sorted().toList();
    }

    private static long committed(DmapInfra infra, String group, TopicPartition tp) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
            return o == null ? -1 : o.offset();
        }
    }

    private static KafkaProducer<String, byte[]> producer(DmapInfra infra) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static OutcomeReader reader(DmapInfra infra, DmapConfig dmap) {
        TopicCreator.ensure(KafkaClientConfig.of(infra.bootstrapServers()), io.dmap.common.topics.Topics.of(dmap.topics().namespace().get()),
                PARTITIONS, 2, (short) 1);
        return new OutcomeReader(infra.bootstrapServers(), dmap.topics().namespace().get() + ".map-outcomes");
    }

    private static void publish(KafkaProducer<String, byte[]> producer, DmapConfig dmap, BatchMessage batch) throws Exception {
        publish(producer, dmap, batch, 0);
    }

    private static void publish(KafkaProducer<String, byte[]> producer, DmapConfig dmap, BatchMessage batch, int maxConcurrency)
            throws Exception {
        int partition = Placement.partitionFor(batch.mapRunId(), batch.batchIndex(), maxConcurrency, PARTITIONS);
        producer.send(new ProducerRecord<>(dmap.topics().namespace().get() + ".map-batches", partition, batch.key(),
                Json.toBytes(batch))).get();
    }
}
