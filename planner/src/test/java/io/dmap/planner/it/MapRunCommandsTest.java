package io.dmap.planner.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunStatus;
import io.dmap.common.json.Json;
import io.dmap.planner.messaging.KafkaClients;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** PATCH /map-runs/{id} (UpdateMapRun) and POST /map-runs/{id}/redrive (RedriveMapRun), judged on the status snapshots. */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
class MapRunCommandsTest {

    @Inject
    KafkaClients kafka;

    @Test
    void redriveOfAFailedRunIsPublishedAndOtherRunsAreRefused() {
        given().when().post("/map-runs/no-such-run/redrive").then().statusCode(404);

        String running = known(RunStatus.RUNNING, RunPhase.RUNNING);
        given().when().post("/map-runs/" + running + "/redrive").then().statusCode(409)
                .body("message", containsString("FAILED or ABORTED"));
        String succeeded = known(RunStatus.SUCCEEDED, RunPhase.DONE);
        given().when().post("/map-runs/" + succeeded + "/redrive").then().statusCode(409);

        String failed = known(RunStatus.FAILED, RunPhase.DONE);
        given().when().post("/map-runs/" + failed + "/redrive").then().statusCode(202)
                .body("mapRunId", equalTo(failed)).body("redriveCount", equalTo(1));
        String aborted = known(RunStatus.ABORTED, RunPhase.DONE);
        given().when().post("/map-runs/" + aborted + "/redrive").then().statusCode(202);

        JsonNode event = runEvent(failed);
        assertEquals("RedriveRequested", event.get("type").asText());
        assertEquals(failed, event.get("mapRunId").asText());
        assertEquals("RedriveRequested", runEvent(aborted).get("type").asText());
        assertTrue(runEvents(running).isEmpty(), "a refused redrive publishes nothing");
        assertTrue(runEvents(succeeded).isEmpty());
    }

    @Test
    void updateOfARunningRunIsPublished() {
        String id = known(RunStatus.RUNNING, RunPhase.RUNNING);
        given().contentType(ContentType.JSON).body("{\"toleratedFailurePercentage\": 12.5, \"maxConcurrency\": 3}")
                .when().patch("/map-runs/" + id).then().statusCode(202).body("mapRunId", equalTo(id));
        JsonNode event = runEvent(id);
        assertEquals("RunUpdated", event.get("type").asText());
        assertEquals(12.5, event.get("toleratedFailurePercentage").asDouble());
        assertEquals(3, event.get("maxConcurrency").asInt());
        assertTrue(event.get("toleratedFailureCount").isNull(), "left out: unchanged");
    }

    @Test
    void invalidUpdatesAreRefusedNamingTheField() {
        String id = known(RunStatus.RUNNING, RunPhase.RUNNING);
        badUpdate(id, "{\"toleratedFailurePercentage\": 100.5}", "toleratedFailurePercentage");
        badUpdate(id, "{\"toleratedFailurePercentage\": \"ten\"}", "toleratedFailurePercentage");
        badUpdate(id, "{\"toleratedFailureCount\": -1}", "toleratedFailureCount");
        badUpdate(id, "{\"toleratedFailureCount\": 1.5}", "toleratedFailureCount");
        badUpdate(id, "{\"maxConcurrency\": 10001}", "maxConcurrency");
        badUpdate(id, "{\"maxConcurrency\": 2, \"label\": \"x\"}", "label");
        badUpdate(id, "{}", "body");
        badUpdate(id, "[1]", "body");
        badUpdate(id, "{not json", "body");
        assertTrue(runEvents(id).isEmpty(), "nothing published for an invalid update");

        given().contentType(ContentType.JSON).body("{\"maxConcurrency\": 1}").when().patch("/map-runs/no-such-run")
                .then().statusCode(404);
        String finished = known(RunStatus.SUCCEEDED, RunPhase.DONE);
        given().contentType(ContentType.JSON).body("{\"maxConcurrency\": 1}").when().patch("/map-runs/" + finished)
                .then().statusCode(409);
        String writing = known(RunStatus.RUNNING, RunPhase.WRITING_RESULTS);
        given().contentType(ContentType.JSON).body("{\"maxConcurrency\": 1}").when().patch("/map-runs/" + writing)
                .then().statusCode(409);
    }

    private static void badUpdate(String id, String body, String field) {
        given().contentType(ContentType.JSON).body(body).when().patch("/map-runs/" + id).then().statusCode(400)
                .body("field", equalTo(field));
    }

    /** A run the planner knows only from a status snapshot (as the aggregator publishes it), once it is served. */
    private String known(RunStatus status, RunPhase phase) {
        String id = "cmd-" + UUID.randomUUID();
        Instant now = Instant.now();
        MapRunStatus.Counts counts = new MapRunStatus.Counts(0, 0, 1, 0, 0, 0, 1, 0);
        MapRunStatus snapshot = new MapRunStatus(1, id, "arn:dmap:states:local:000000000000:mapRun:dmap/Map:" + id,
                null, null, status, phase, status.terminal(), now, null, 0, 0, 0, counts, counts, null, null,
                null, now);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(kafka.topics().status(), id, Json.toBytes(snapshot))).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (given().when().get("/map-runs/" + id).statusCode() == 200) {
                return id;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return fail("the status view never served " + id);
    }

    private JsonNode runEvent(String id) {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(kafka.bootstrapServers(), kafka.topics().runs(),
                id::equals, list -> !list.isEmpty());
        assertEquals(1, records.size());
        return Json.parse(new String(records.get(0).value(), java.nio.charset.StandardCharsets.UTF_8));
    }

    private List<ConsumerRecord<String, byte[]>> runEvents(String id) {
        return TopicReader.readToEnd(kafka.bootstrapServers(), kafka.topics().runs(), id::equals);
    }
}
