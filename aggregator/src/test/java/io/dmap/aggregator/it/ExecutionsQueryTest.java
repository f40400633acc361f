package io.dmap.aggregator.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStarted;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.events.OutputType;
import io.dmap.common.events.RedriveRequested;
import io.dmap.common.events.RunConfig;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.events.RunRequested;
import io.dmap.common.events.RunStatus;
import io.dmap.common.events.Transformation;
import io.dmap.common.json.Json;
import io.dmap.common.json.JsonSerde;
import io.dmap.common.spec.Arns;
import io.dmap.common.topics.Topics;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The executions query (interactive queries on the execution store) on the real broker: events go straight onto the
 * topics, the answers are read over HTTP while the run is going, after it failed, and after a redrive.
 */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
@TestProfile(AggregatorTestProfile.class)
class ExecutionsQueryTest {

    private static final Topics TOPICS = Topics.of(AggregatorTestProfile.NAMESPACE);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static DmapInfra infra;
    private static KafkaProducer<String, RunEvent> runs;
    private static KafkaProducer<String, OutcomeEvent> outcomes;

    @BeforeAll
    static void producers() {
        infra = DmapInfra.shared();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        runs = new KafkaProducer<>(config, new StringSerializer(), JsonSerde.of(RunEvent.class));
        outcomes = new KafkaProducer<>(config, new StringSerializer(), JsonSerde.of(OutcomeEvent.class));
    }

    @AfterAll
    static void close() {
        runs.close();
        outcomes.close();
    }

    @Test
    void listsAndGroupsExecutionsWhileRunningAfterFailingAndAfterARedrive() throws Exception {
        String bucket = "agg-exec-" + UUID.randomUUID().toString().substring(0, 8);
        infra.createBucket(bucket);
        String id = "run-" + UUID.randomUUID();
        JsonNode processor = Json.parse("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
        RunConfig config = new RunConfig("Q", 0, 2, null, new RunConfig.ResultWriterConfig(bucket, "q", OutputType.JSON, Transformation.NONE));
        send(RunRequested.of(id, null, T0, config, Json.MAPPER.createObjectNode().set("ItemProcessor", processor)));
        send(RunPlanned.of(id, 10, 5, T0));
        List<BatchMessage> batches = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            batches.add(BatchMessage.of(id, b, b * 2L, 2, Json.parse("{\"Items\":[" + b + "," + (b + 100) + "]}"), processor));
        }
        for (int b = 0; b < 4; b++) {
            send(ExecutionStarted.of(id, b, 2, T0.plusSeconds(b), "w1"));
        }
        send(ExecutionFinished.succeeded(batches.get(0), Json.parse("{\"sum\":100}"), T0, T0.plusSeconds(1), "w1"));
        send(ExecutionFinished.failed(batches.get(1), ExecutionStatus.FAILED, "States.TaskFailed", "boom 1", T0, T0, "w1"));
        send(ExecutionFinished.failed(batches.get(2), ExecutionStatus.FAILED, "Custom.Oops", "oops", T0, T0, "w1"));

        // while running: batch 3 still runs, batch 4 has not started (no record)
        JsonNode all = await(id, "", body -> body.path("executions").size() == 4
                && count(body, "FAILED") == 2 && count(body, "SUCCEEDED") == 1);
        assertEquals(List.of(0L, 1L, 2L, 3L), indexes(all));
        JsonNode running = get(id, "status=RUNNING");
        assertEquals(List.of(3L), indexes(running));
        JsonNode failed = get(id, "status=FAILED");
        assertEquals(List.of(1L, 2L), indexes(failed));
        JsonNode first = failed.path("executions").get(0);
        assertEquals("States.TaskFailed", first.path("error").asText());
        assertEquals("boom 1", first.path("cause").asText());
        assertEquals(Json.parse("{\"Items\":[1,101]}"), first.path("input"));
        assertEquals(Arns.execution("Q", id, 1), first.path("executionArn").asText());
        assertEquals(Arns.mapRun("Q", id), first.path("mapRunArn").asText());
        assertEquals(2, first.path("itemCount").asInt());
        Response oneAnswer = given().get("/internal/map-runs/" + id + "/executions/1");
        assertEquals(200, oneAnswer.statusCode(), oneAnswer.asString());
        JsonNode one = Json.parse(oneAnswer.asString());
        assertEquals(first.path("executionArn"), one.path("executionArn"), "one execution, as listed: " + one);
        assertEquals("boom 1", one.path("cause").asText());
        given().get("/internal/map-runs/" + id + "/executions/4").then().statusCode(404); // not started yet: no record
        JsonNode succeeded = get(id, "status=SUCCEEDED").path("executions").get(0);
        assertEquals(Json.parse("{\"sum\":100}"), succeeded.path("output"));
        assertTrue(succeeded.path("error").isNull(), succeeded::toString);

        // paging: one at a time, in batch order, the token naming where to go on
        List<Long> paged = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = get(id, "maxResults=1" + (token == null ? "" : "&nextToken=" + token));
            assertTrue(page.path("executions").size() <= 1, page::toString);
            paged.addAll(indexes(page));
            token = page.hasNonNull("nextToken") ? page.path("nextToken").asText() : null;
        } while (token != null);
        assertEquals(List.of(0L, 1L, 2L, 3L), paged);

        JsonNode groups = failures(id);
        assertEquals(2, groups.path("failedExecutions").asInt(), groups::toString);
        assertEquals(2, groups.path("failures").size(), groups::toString);

        // a third failure exceeds the tolerated 2: the run fails, batch 4 never starts
        send(ExecutionFinished.failed(batches.get(3), ExecutionStatus.FAILED, "States.TaskFailed", "boom 3", T0, T0, "w1"));
        send(ExecutionFinished.notStarted(batches.get(4), T0, "w1"));
        JsonNode grouped = awaitFailures(id, g -> g.path("failedExecutions").asInt() == 3);
        JsonNode top = grouped.path("failures").get(0);
        assertEquals("States.TaskFailed", top.path("error").asText(), grouped::toString);
        assertEquals(2, top.path("executions").asInt());
        assertEquals(4, top.path("items").asInt());
        assertEquals("boom 1", top.path("exampleCause").asText());
        assertEquals("Custom.Oops", grouped.path("failures").get(1).path("error").asText());
        assertEquals(1, grouped.path("failures").get(1).path("executions").asInt());
        assertEquals(List.of(4L), indexes(await(id, "status=NOT_STARTED", b -> b.path("executions").size() == 1)));
        awaitPhaseDone(id);

        // redrive: the failed and never-started executions wait for their new attempt
        send(RedriveRequested.of(id, T0.plusSeconds(60)));
        JsonNode pending = await(id, "status=PENDING_REDRIVE", b -> b.path("executions").size() == 4);
        assertEquals(List.of(1L, 2L, 3L, 4L), indexes(pending));
        pending.path("executions").forEach(e -> assertEquals(1, e.path("redriveCount").asInt(), e::toString));
        assertEquals(0, failures(id).path("failedExecutions").asInt(), "no failure of the current attempt yet");

        BatchMessage again = new BatchMessage(BatchMessage.SCHEMA_VERSION, id, 1, -1, 2, batches.get(1).input(),
                processor, 1, null, null);
        send(ExecutionStarted.of(id, 1, 2, T0.plusSeconds(61), "w2"));
        await(id, "status=RUNNING", b -> indexes(b).equals(List.of(1L)));
        send(ExecutionFinished.succeeded(again, Json.parse("{\"sum\":102}"), T0.plusSeconds(61), T0.plusSeconds(62), "w2"));
        JsonNode afterRedrive = await(id, "status=SUCCEEDED", b -> indexes(b).equals(List.of(0L, 1L)));
        JsonNode redriven = afterRedrive.path("executions").get(1);
        assertEquals(1, redriven.path("redriveCount").asInt());
        assertEquals(Json.parse("{\"sum\":102}"), redriven.path("output"));
        assertTrue(redriven.path("error").isNull(), redriven::toString);
        assertFalse(indexes(get(id, "status=PENDING_REDRIVE")).contains(1L));
    }

    @Test
    void rejectsAnUnknownStatusAndAnswers404ForAnUnknownRun() {
        given().get("/internal/map-runs/nope/executions?status=DONE").then().statusCode(400);
        Response bad = given().get("/internal/map-runs/nope/executions?status=DONE");
        assertEquals("status", bad.jsonPath().getString("field"));
        given().get("/internal/map-runs/nope/executions?maxResults=0").then().statusCode(400);
        given().get("/internal/map-runs/nope/executions?nextToken=zzz").then().statusCode(400);
        awaitStatusCode("/internal/map-runs/no-such-run/executions", 404);
        awaitStatusCode("/internal/map-runs/no-such-run/failures", 404);
    }

    private static void awaitStatusCode(String path, int expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = given().get(path).statusCode();
            if (last == expected) {
                return;
            }
            sleep();
        }
        fail(path + " answered " + last + ", expected " + expected);
    }

    private static long count(JsonNode body, String status) {
        long n = 0;
        for (JsonNode e : body.path("executions")) {
            n += status.equals(e.path("status").asText()) ? 1 : 0;
        }
        return n;
    }

    private static List<Long> indexes(JsonNode body) {
        List<Long> list = new ArrayList<>();
        body.path("executions").forEach(e -> list.add(e.path("batchIndex").asLong()));
        return list;
    }

    private static JsonNode get(String id, String query) {
        Response r = given().get(executions(id, query));
        assertEquals(200, r.statusCode(), r.asString());
        return Json.parse(r.asString());
    }

    private static String executions(String id, String query) {
        return "/internal/map-runs/" + id + "/executions" + (query.isEmpty() ? "" : "?" + query);
    }

    private static JsonNode failures(String id) {
        Response r = given().get("/internal/map-runs/" + id + "/failures");
        assertEquals(200, r.statusCode(), r.asString());
        return Json.parse(r.asString());
    }

    private static JsonNode await(String id, String query, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            Response r = given().get(executions(id, query));
            last = r.statusCode() + " " + r.asString();
            if (r.statusCode() == 200 && done.test(Json.parse(r.asString()))) {
                return Json.parse(r.asString());
            }
            sleep();
        }
        return fail("executions?" + query + " never matched; last answer: " + last);
    }

    private static JsonNode awaitFailures(String id, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            Response r = given().get("/internal/map-runs/" + id + "/failures");
            last = r.statusCode() + " " + r.asString();
            if (r.statusCode() == 200 && done.test(Json.parse(r.asString()))) {
                return Json.parse(r.asString());
            }
            sleep();
        }
        return fail("failures never matched; last answer: " + last);
    }

    /** A redrive is only taken once the run is DONE (its results written): reads map-run-status until then. */
    private static void awaitPhaseDone(String mapRunId) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, MapRunStatus> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                JsonSerde.of(MapRunStatus.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPICS.status()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, MapRunStatus> r : consumer.poll(Duration.ofMillis(500))) {
                    if (mapRunId.equals(r.key()) && r.value().phase() == RunPhase.DONE) {
                        assertEquals(RunStatus.FAILED, r.value().status(), r.value()::toString);
                        return;
                    }
                }
            }
        }
        fail("map run " + mapRunId + " never reached phase DONE");
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void send(RunEvent e) throws Exception {
        runs.send(new ProducerRecord<>(TOPICS.runs(), e.mapRunId(), e)).get();
    }

    private static void send(OutcomeEvent e) throws Exception {
        outcomes.send(new ProducerRecord<>(TOPICS.outcomes(), e.mapRunId(), e)).get();
    }
}
