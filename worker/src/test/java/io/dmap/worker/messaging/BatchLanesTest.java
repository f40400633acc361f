package io.dmap.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchInputRef;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStarted;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunStatus;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;
import io.dmap.common.spec.Placement;
import io.dmap.common.topics.Topics;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batches published to the real broker come back as ExecutionStarted / ExecutionFinished on map-outcomes. */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
class BatchLanesTest {

    private static final int PARTITIONS = 4;
    private static final Topics TOPICS = Topics.of("worker-test");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    RunStatusView statusView;

    private KafkaProducer<String, byte[]> producer;
    private OutcomeReader outcomes;

    @BeforeEach
    void connect() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer());
        outcomes = new OutcomeReader(bootstrap, TOPICS.outcomes());
    }

    @AfterEach
    void close() {
        producer.close();
        outcomes.close();
    }

    @Test
    void runsEachBatchAndReportsItsOutcome() throws Exception {
        // one ItemProcessor per run (the worker compiles it once per run): each machine gets its own run
        String run = "run-" + UUID.randomUUID();
        String failing = "run-" + UUID.randomUUID();
        String choosing = "run-" + UUID.randomUUID();
        publish(BatchMessage.of(run, 0, 0, 1, json("{'item':1}"), machine(
                "{'StartAt':'P','States':{'P':{'Type':'Pass','Parameters':{'got.$':'$.item','name.$':'$$.Execution.Name'},'End':true}}}")));
        publish(BatchMessage.of(failing, 1, 1, 1, json("{'item':2}"), machine(
                "{'StartAt':'F','States':{'F':{'Type':'Fail','Error':'Item.Bad','Cause':'item 2 is bad'}}}")));
        String choice = "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.item','NumericGreaterThan':2,"
                + "'Next':'Big'}],'Default':'Small'},'Big':{'Type':'Pass','Result':'big','End':true},"
                + "'Small':{'Type':'Pass','Result':'small','End':true}}}";
        publish(BatchMessage.of(choosing, 2, 2, 1, json("{'item':3}"), machine(choice)));
        publish(BatchMessage.of(choosing, 3, 3, 1, json("{'item':1}"), machine(choice)));

        List<OutcomeEvent> events = new java.util.ArrayList<>(outcomes.await(run, e -> finished(e).size() == 1));
        events.addAll(outcomes.await(failing, e -> finished(e).size() == 1));
        events.addAll(outcomes.await(choosing, e -> finished(e).size() == 2));
        Map<Long, ExecutionFinished> byBatch = finished(events);
        assertEquals(ExecutionStatus.SUCCEEDED, byBatch.get(0L).status());
        assertEquals(json("{'got':1,'name':'" + Arns.executionName(run, 0) + "'}"), byBatch.get(0L).output());
        assertEquals(ExecutionStatus.FAILED, byBatch.get(1L).status());
        assertEquals("Item.Bad", byBatch.get(1L).error());
        assertEquals("item 2 is bad", byBatch.get(1L).cause());
        assertEquals(Json.NODES.textNode("big"), byBatch.get(2L).output());
        assertEquals(Json.NODES.textNode("small"), byBatch.get(3L).output());
        assertEquals("test-worker", byBatch.get(3L).worker());
        for (long b = 0; b < 4; b++) {
            long batch = b;
            assertTrue(events.stream().anyMatch(e -> e instanceof ExecutionStarted s && s.batchIndex() == batch),
                    "ExecutionStarted of batch " + b);
            assertTrue(events.indexOf(events.stream().filter(e -> e instanceof ExecutionStarted s && s.batchIndex() == batch)
                    .findFirst().orElseThrow()) < events.indexOf(byBatch.get(batch)), "started before finished");
        }
        awaitAllCommitted();
        assertTrue(counter("SUCCEEDED") >= 3, "SUCCEEDED batches counted");
        assertTrue(counter("FAILED") >= 1, "FAILED batches counted");
    }

    private static double counter(String status) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("dmap_worker_batches_total\\{[^}]*status=\"" + status + "\"[^}]*} ([0-9.E]+)").matcher(metrics);
        assertTrue(m.find(), metrics);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void batchesOfAFinishedRunAreNotStarted() throws Exception {
        String run = "stopped-" + UUID.randomUUID();
        producer.send(new ProducerRecord<>(TOPICS.status(), run, Json.toBytes(stopping(run)))).get();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!statusView.finished(run, 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(statusView.finished(run, 0), "the status view saw the stopping run");

        publish(BatchMessage.of(run, 0, 0, 2, json("{'a':1}"),
                machine("{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}")));
        // a batch of a later redrive is not judged by the stopped status of the earlier attempt
        publish(new BatchMessage(BatchMessage.SCHEMA_VERSION, run, 1, 2, 1, json("{'a':2}"),
                machine("{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}"), 1));
        List<OutcomeEvent> events = outcomes.await(run, e -> finished(e).size() == 2);
        ExecutionFinished f = finished(events).get(0L);
        assertEquals(ExecutionStatus.NOT_STARTED, f.status());
        assertEquals(2, f.itemCount());
        assertEquals(List.of(1L), events.stream().filter(e -> e instanceof ExecutionStarted).map(OutcomeEvent::batchIndex).toList());
        assertEquals(ExecutionStatus.SUCCEEDED, finished(events).get(1L).status());
        assertEquals(1, finished(events).get(1L).redriveCount());
    }

    @Test
    void aBatchWithoutItsDefinitionIsNotStartedAtOnceWhenItsRunIsOverOrRedrivenSince() throws Exception {
        // the aggregator deletes a done run's definition: a late redelivered batch must not wait for it
        String done = "done-" + UUID.randomUUID();
        String redriven = "redriven-" + UUID.randomUUID();
        producer.send(new ProducerRecord<>(TOPICS.status(), done, Json.toBytes(stopping(done)))).get();
        MapRunStatus s = stopping(redriven);
        producer.send(new ProducerRecord<>(TOPICS.status(), redriven, Json.toBytes(new MapRunStatus(s.v(), s.mapRunId(),
                s.mapRunArn(), null, null, RunStatus.RUNNING, RunPhase.RUNNING, false, s.startDate(), null, 0, 0, 0,
                MapRunStatus.Counts.ZERO, MapRunStatus.Counts.ZERO, null, null, null, Instant.now(), 1, Instant.now())))).get();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(statusView.finished(done, 0) && statusView.finished(redriven, 0)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(statusView.finished(redriven, 0), "an attempt before the current redrive counts as finished");
        assertFalse(statusView.finished(redriven, 1), "the current attempt runs");

        // without a definition on the topic: waiting for it would never end
        JsonNode pass = machine("{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}");
        publish(BatchMessage.of(done, 0, 0, 1, json("{'a':1}"), pass).withoutProcessor());
        publish(BatchMessage.of(redriven, 0, 0, 1, json("{'a':1}"), pass).withoutProcessor());
        assertEquals(ExecutionStatus.NOT_STARTED, finished(outcomes.await(done, e -> finished(e).size() == 1)).get(0L).status());
        assertEquals(ExecutionStatus.NOT_STARTED,
                finished(outcomes.await(redriven, e -> finished(e).size() == 1)).get(0L).status());
    }

    @Test
    void aRunningBatchIsAbortedWhenItsRunStops() throws Exception {
        String run = "aborted-" + UUID.randomUUID();
        publish(BatchMessage.of(run, 0, 0, 1, json("{}"),
                machine("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':600,'End':true}}}")));
        outcomes.await(run, e -> e.stream().anyMatch(x -> x instanceof ExecutionStarted));
        producer.send(new ProducerRecord<>(TOPICS.status(), run, Json.toBytes(stopping(run)))).get();

        List<OutcomeEvent> events = outcomes.await(run, e -> finished(e).size() == 1);
        ExecutionFinished f = finished(events).get(0L);
        assertEquals(ExecutionStatus.ABORTED, f.status());
        assertTrue(Duration.between(f.startDate(), f.stopDate()).toSeconds() < 60, "aborted long before the Wait ended");
    }

    @Test
    void aClaimCheckedInputIsReadFromS3() throws Exception {
        String run = "claim-" + UUID.randomUUID();
        DmapInfra.shared().createBucket("worker-claims");
        DmapInfra.shared().s3().putObject(b -> b.bucket("worker-claims").key(run + "/0.json"),
                RequestBody.fromString("{\"Items\":[{\"k\":\"big\"}]}"));
        publish(BatchMessage.of(run, 0, 0, 1, null, machine(
                "{'StartAt':'P','States':{'P':{'Type':'Pass','Parameters':{'k.$':'$.Items[0].k'},'End':true}}}"))
                .withInputRef(new BatchInputRef("worker-claims", run + "/0.json")));
        ExecutionFinished f = finished(outcomes.await(run, e -> finished(e).size() == 1)).get(0L);
        assertEquals(ExecutionStatus.SUCCEEDED, f.status(), String.valueOf(f));
        assertEquals(json("{'k':'big'}"), f.output());
    }

    @Test
    void batchesOfAnAbortedPlannerTransactionAreNeverRun() throws Exception {
        String run = "tx-" + UUID.randomUUID();
        JsonNode pass = machine("{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}");
        try (KafkaProducer<String, byte[]> tx = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "planner-" + run), new StringSerializer(), new ByteArraySerializer())) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(record(BatchMessage.of(run, 0, 0, 1, json("{'attempt':1}"), pass))).get();
            tx.abortTransaction();
            tx.beginTransaction();
            tx.send(record(BatchMessage.of(run, 0, 0, 1, json("{'attempt':2}"), pass))).get();
            tx.send(record(BatchMessage.of(run, 1, 1, 1, json("{'attempt':2}"), pass))).get();
            tx.commitTransaction();
        }
        List<OutcomeEvent> events = outcomes.await(run, e -> finished(e).size() == 2);
        Thread.sleep(1000); // a run of the aborted batch, if there were one, would show up now
        events = outcomes.await(run, e -> true);
        List<ExecutionFinished> all = events.stream().filter(e -> e instanceof ExecutionFinished).map(e -> (ExecutionFinished) e).toList();
        assertEquals(2, all.size(), all.toString());
        assertTrue(all.stream().allMatch(f -> f.input().path("attempt").asInt() == 2), all.toString());
    }

    @Test
    void anOutputAboveTheThresholdTravelsThroughS3ByReference() throws Exception {
        String run = "big-" + UUID.randomUUID();
        DmapInfra.shared().createBucket("worker-claims");
        StringBuilder parameters = new StringBuilder();
        for (int i = 0; i < 20; i++) { // 20 arrays of 1,000 six-digit numbers: ~140 KB, above the 64 KiB of the test config
            parameters.append(i == 0 ? "" : ",").append("'r").append(i).append(".$':'States.ArrayRange(100000, 100999, 1)'");
        }
        publish(BatchMessage.of(run, 0, 0, 1, json("{}"),
                machine("{'StartAt':'P','States':{'P':{'Type':'Pass','Parameters':{" + parameters + "},'End':true}}}")));
        ExecutionFinished f = finished(outcomes.await(run, e -> finished(e).size() == 1)).get(0L);

        assertEquals(ExecutionStatus.SUCCEEDED, f.status(), String.valueOf(f.error()) + f.cause());
        assertTrue(f.output() == null || f.output().isNull(), "no output inline");
        assertEquals(new BatchInputRef("worker-claims", "claim-check/" + run + "/0-0-output.json"), f.outputRef());
        JsonNode stored = Json.parse(DmapInfra.shared().s3().getObjectAsBytes(b -> b.bucket("worker-claims")
                .key(f.outputRef().key())).asUtf8String());
        assertEquals(20, stored.size());
        assertEquals(1000, stored.get("r19").size());
        assertEquals(100999, stored.get("r19").get(999).asInt());

        String small = "small-" + UUID.randomUUID();
        publish(BatchMessage.of(small, 0, 0, 1, json("{}"), machine("{'StartAt':'P','States':{'P':{'Type':'Pass',"
                + "'Parameters':{'r.$':'States.ArrayRange(1, 1000, 1)'},'End':true}}}")));
        ExecutionFinished inline = finished(outcomes.await(small, e -> finished(e).size() == 1)).get(0L);
        assertEquals(1000, inline.output().get("r").size(), "a small output stays inline");
        assertEquals(null, inline.outputRef());
    }

    @Test
    void readyWhilePollingAndTheTopicsExist() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.find { it.name == 'batch-lanes' }.data.topicsExist", is(true))
                .body("checks.find { it.name == 'batch-lanes' }.data.polling", is(true));
    }

    @Test
    void operatorMetricsAreExposed() throws Exception {
        String run = "metrics-" + UUID.randomUUID();
        publish(BatchMessage.of(run, 0, 0, 3, json("{'a':1}"), machine("{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}")));
        outcomes.await(run, e -> finished(e).size() == 1);
        awaitAllCommitted();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline) {
            metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            if (metrics.contains("dmap_worker_consumer_lag 0.0")) {
                break;
            }
            Thread.sleep(200);
        }
        assertTrue(metrics.contains("dmap_worker_consumer_lag 0.0"), "the group has committed everything: " + metrics);
        assertTrue(value(metrics, "dmap_worker_items_total\\{[^}]*status=\"SUCCEEDED\"[^}]*}") >= 3, metrics);
        assertTrue(value(metrics, "dmap_worker_batch_duration_seconds_count\\{[^}]*status=\"SUCCEEDED\"[^}]*}") >= 1, metrics);
        assertTrue(metrics.contains("dmap_worker_batch_duration_seconds_max{"), metrics);
        assertEquals(0.0, value(metrics, "dmap_worker_lanes_busy"), metrics);
        assertEquals(PARTITIONS, value(metrics, "dmap_worker_partitions_assigned"), metrics);
        assertTrue(metrics.contains("dmap_worker_lanes_occupancy "), metrics);
        assertTrue(metrics.contains("dmap_worker_items_total{") && metrics.contains("status=\"NOT_STARTED\""), metrics);
    }

    private static double value(String metrics, String nameRegex) {
        Matcher m = Pattern.compile("(?m)^" + nameRegex + " ([0-9.E+-]+)$").matcher(metrics);
        assertTrue(m.find(), nameRegex + " in " + metrics);
        return Double.parseDouble(m.group(1));
    }

    private static MapRunStatus stopping(String run) {
        return new MapRunStatus(MapRunStatus.SCHEMA_VERSION, run, Arns.mapRun(null, run), null, null,
                RunStatus.RUNNING, RunPhase.RUNNING, true, Instant.now(), null, 0, 0, 0, MapRunStatus.Counts.ZERO,
                MapRunStatus.Counts.ZERO, "States.ExceedToleratedFailureThreshold", "too many failures", null, Instant.now());
    }

    private void publish(BatchMessage batch) throws Exception {
        producer.send(record(batch)).get();
    }

    private static ProducerRecord<String, byte[]> record(BatchMessage batch) {
        int partition = Placement.partitionFor(batch.mapRunId(), batch.batchIndex(), 0, PARTITIONS);
        return new ProducerRecord<>(TOPICS.batches(), partition, batch.key(), Json.toBytes(batch));
    }

    private static Map<Long, ExecutionFinished> finished(List<OutcomeEvent> events) {
        return events.stream().filter(e -> e instanceof ExecutionFinished).map(e -> (ExecutionFinished) e)
                .collect(Collectors.toMap(ExecutionFinished::batchIndex, Function.identity(), (a, b) -> a));
    }

    /** The group's committed offsets reach the end of every batches partition: outcomes stored, offsets committed. */
    private void awaitAllCommitted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Map<TopicPartition, Long> ends = Map.of();
            Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    latest.put(new TopicPartition(TOPICS.batches(), p), OffsetSpec.latest());
                }
                ends = admin.listOffsets(latest).all().get().entrySet().stream()
                        .filter(e -> e.getValue().offset() > 0)
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                committed = admin.listConsumerGroupOffsets("dmap-workers").partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetAndMetadata> c = committed;
                if (ends.entrySet().stream().allMatch(e -> c.get(e.getKey()) != null && c.get(e.getKey()).offset() == e.getValue())) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("committed " + committed + " but the partitions end at " + ends);
        }
    }

    private static JsonNode machine(String singleQuoted) {
        return json(singleQuoted);
    }

    private static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }
}
