package io.dmap.planner.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunStatus;
import io.dmap.common.json.Json;
import io.dmap.planner.messaging.KafkaClients;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET, list, abort and events are served from the snapshots the aggregator publishes on map-run-status. */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
class StatusViewTest {

    @Inject
    KafkaClients kafka;

    @Inject
    io.dmap.planner.messaging.StatusView statusView;

    @TestHTTPResource("/map-runs")
    URI mapRuns;

    @Test
    void snapshotsAreServedStreamedAndEndTheRun() throws Exception {
        String id = given().contentType(ContentType.JSON).body(Specs.inline()).when().post("/map-runs")
                .then().statusCode(201).extract().path("mapRunId");
        given().when().get("/map-runs/" + id).then().statusCode(200)
                .body("status", equalTo("RUNNING")).body("phase", equalTo("PLANNING"))
                .body("itemCounts.total", equalTo(0)).body("mapRunArn", equalTo("arn:dmap:states:local:000000000000:mapRun:dmap/Map:" + id));

        BlockingQueue<String> data = new LinkedBlockingQueue<>();
        CompletableFuture<Void> ended = HttpClient.newHttpClient()
                .sendAsync(HttpRequest.newBuilder(URI.create(mapRuns + "/" + id + "/events"))
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().filter(l -> l.startsWith("data:"))
                        .forEach(l -> data.add(l.substring("data:".length()))));
        String first = data.poll(30, TimeUnit.SECONDS);
        assertTrue(first != null, "the stream starts with the current snapshot");
        assertEquals("PLANNING", Json.parse(first).get("phase").asText());

        Instant t = Instant.now();
        publish(snapshot(id, RunStatus.RUNNING, RunPhase.RUNNING, t.plusMillis(1),
                new MapRunStatus.Counts(1, 2, 0, 0, 0, 0, 3, 0), null));
        publish(snapshot(id, RunStatus.SUCCEEDED, RunPhase.DONE, t.plusMillis(2), new MapRunStatus.Counts(0, 0, 3, 0, 0, 0, 3, 3),
                new MapRunStatus.ResultWriterDetails("results", "out/" + id + "/manifest.json")));

        awaitStatus(id, RunStatus.SUCCEEDED);
        JsonNode described = Json.parse(given().when().get("/map-runs/" + id).then().statusCode(200).extract().asString());
        assertEquals(3, described.get("itemCounts").get("succeeded").asLong());
        assertEquals("out/" + id + "/manifest.json", described.get("resultWriterDetails").get("key").asText());
        assertFalse(described.has("v"), "the wire schema version is not part of DescribeMapRun");

        given().when().post("/map-runs/" + id + "/abort").then().statusCode(409).body("error", equalTo("Conflict"));

        ended.get(30, TimeUnit.SECONDS); // the stream ends after the terminal snapshot
        List<String> rest = new ArrayList<>(data);
        assertEquals(2, rest.size(), rest.toString());
        assertEquals("RUNNING", Json.parse(rest.get(0)).get("phase").asText());
        assertEquals(3, Json.parse(rest.get(0)).get("itemCounts").get("total").asLong());
        assertEquals("SUCCEEDED", Json.parse(rest.get(1)).get("status").asText());
    }

    @Test
    void listsNewestFirstAcrossPages() {
        Instant base = Instant.parse("2100-01-01T00:00:00Z");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(0, id); // newest first
            publish(new MapRunStatus(1, id, "arn", null, null, RunStatus.RUNNING, RunPhase.RUNNING, false,
                    base.plusSeconds(i * 60L), null,
                    0, 0, 0, MapRunStatus.Counts.ZERO, MapRunStatus.Counts.ZERO, null, null, null, Instant.now()));
        }
        for (String id : ids) {
            awaitStatus(id, RunStatus.RUNNING);
        }

        List<String> listed = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 3; page++) {
            var request = given().queryParam("maxResults", 2);
            if (token != null) {
                request = request.queryParam("nextToken", token);
            }
            JsonNode body = Json.parse(request.when().get("/map-runs").then().statusCode(200).extract().asString());
            assertTrue(body.get("mapRuns").size() <= 2);
            body.get("mapRuns").forEach(r -> listed.add(r.get("mapRunId").asText()));
            token = body.has("nextToken") ? body.get("nextToken").asText() : null;
        }
        assertEquals(ids, listed.subList(0, 5), "the five far-future runs first, newest first, none repeated");
        assertTrue(listed.size() == 5 || !ids.contains(listed.get(5)), listed.toString());
    }

    /**
     * The aggregator publishes snapshots in exactly-once transactions; one whose transaction aborted (a crash, a
     * fenced instance) was never the run's state and must never be served.
     */
    @Test
    void aSnapshotOfAnAbortedTransactionIsNeverServed() throws Exception {
        String id = UUID.randomUUID().toString();
        Instant t = Instant.now();
        List<RunStatus> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.function.Consumer<MapRunStatus> listener = s -> {
            if (s.mapRunId().equals(id)) {
                heard.add(s.status());
            }
        };
        statusView.addListener(listener);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "status-view-test-" + id),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(kafka.topics().status(), id, Json.toBytes(snapshot(id, RunStatus.FAILED, RunPhase.DONE,
                    t.plusMillis(1), new MapRunStatus.Counts(0, 0, 0, 3, 0, 0, 3, 3), null)))).get();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(kafka.topics().status(), id, Json.toBytes(snapshot(id, RunStatus.RUNNING, RunPhase.RUNNING,
                    t.plusMillis(2), new MapRunStatus.Counts(1, 2, 0, 0, 0, 0, 3, 0), null)))).get();
            producer.commitTransaction();
        }
        awaitStatus(id, RunStatus.RUNNING);
        // published after both: once it is served, everything before it on the partition has been read
        publish(snapshot(id, RunStatus.SUCCEEDED, RunPhase.DONE, t.plusMillis(3),
                new MapRunStatus.Counts(0, 0, 3, 0, 0, 0, 3, 3), null));
        awaitStatus(id, RunStatus.SUCCEEDED);
        statusView.removeListener(listener);
        assertEquals(List.of(RunStatus.RUNNING, RunStatus.SUCCEEDED), heard, "the aborted FAILED snapshot was never read");
    }

    @Test
    void theLastPageHasNoNextToken() {
        JsonNode body = Json.parse(given().queryParam("maxResults", 1000).when().get("/map-runs")
                .then().statusCode(200).extract().asString());
        assertNull(body.get("nextToken"));
    }

    private void awaitStatus(String id, RunStatus status) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            var response = given().when().get("/map-runs/" + id);
            if (response.statusCode() == 200 && status.name().equals(response.path("status"))) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("run " + id + " never reached " + status + ": " + response.asString());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static MapRunStatus snapshot(String id, RunStatus status, RunPhase phase, Instant updated, MapRunStatus.Counts items,
                                         MapRunStatus.ResultWriterDetails details) {
        return new MapRunStatus(1, id, "arn:dmap:states:local:000000000000:mapRun:dmap/Map:" + id, null, null, status, phase,
                status.terminal(), updated.minusSeconds(5), status.terminal() ? updated : null, 0, 0, 0,
                items, items, null, null, details, updated);
    }

    private void publish(MapRunStatus status) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(kafka.topics().status(), status.mapRunId(), Json.toBytes(status))).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
