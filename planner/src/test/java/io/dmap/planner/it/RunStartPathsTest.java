package io.dmap.planner.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.events.RunRequested;
import io.dmap.common.json.Json;
import io.dmap.planner.messaging.KafkaClients;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.util.Comparator;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Run-start fields on the real broker and S3 server: ItemReader and ResultWriter Parameters with paths and intrinsics,
 * the ...Path numbers and BatchInput with the context object, resolved once before planning; a bad value fails the run.
 */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
class RunStartPathsTest {

    @Inject
    KafkaClients kafka;

    @Test
    void pathsOverTheInputNameTheSourceTheLimitsAndTheBatchInput() {
        DmapInfra infra = DmapInfra.shared();
        infra.createBucket("run-start-paths");
        infra.s3().putObject(b -> b.bucket("run-start-paths").key("2026/orders.json"),
                RequestBody.fromString("[{\"id\": 1}, {\"id\": 2}, {\"id\": 3}, {\"id\": 4}, {\"id\": 5}]"));

        String id = given().contentType(ContentType.JSON).body("""
                {"Input": {"source": {"bucket": "run-start-paths", "year": 2026}, "max": 4, "conc": 3, "pct": 25, "per": 2},
                 "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                   "ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.max"},
                   "Parameters": {"Bucket.$": "$.source.bucket", "Key.$": "States.Format('{}/orders.json', $.source.year)"}},
                 "ItemSelector": {"id.$": "$$.Map.Item.Value.id", "from.$": "$$.Map.Item.Source"},
                 "ItemBatcher": {"MaxItemsPerBatchPath": "$.per", "BatchInput": {"At.$": "$$.State.EnteredTime"}},
                 "MaxConcurrencyPath": "$.conc", "ToleratedFailurePercentagePath": "$.pct",
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                   "Parameters": {"Bucket.$": "$.source.bucket", "Prefix": "results"}}, %s}""".formatted(Specs.PROCESSOR))
                .when().post("/map-runs")
                .then().statusCode(201).extract().path("mapRunId");

        List<RunEvent> events = runEvents(id, 2);
        RunRequested requested = assertInstanceOf(RunRequested.class, events.get(0));
        assertEquals(3, requested.config().maxConcurrency());
        assertEquals(25.0, requested.config().toleratedFailurePercentage());
        assertEquals("run-start-paths", requested.config().resultWriter().bucket());
        RunPlanned planned = assertInstanceOf(RunPlanned.class, events.get(1));
        assertEquals(4, planned.totalItems(), "MaxItemsPath limits the items read");
        assertEquals(2, planned.totalBatches());

        List<BatchMessage> batches = TopicReader.readUntil(kafka.bootstrapServers(), kafka.topics().batches(),
                        k -> k.startsWith(id + "/"), r -> r.size() >= 2).stream()
                .map(r -> Json.fromBytes(r.value(), BatchMessage.class))
                .sorted(Comparator.comparingLong(BatchMessage::batchIndex)).toList();
        JsonNode first = batches.get(0).input();
        assertEquals(Json.parse("""
                {"BatchInput": {"At": "%s"}, "Items": [{"id": 1, "from": "S3://run-start-paths/2026/orders.json"},
                                                      {"id": 2, "from": "S3://run-start-paths/2026/orders.json"}]}"""
                .formatted(requested.requestedAt())), first);
        assertEquals(first.get("BatchInput"), batches.get(1).input().get("BatchInput"), "BatchInput is resolved once");

        given().when().get("/map-runs/" + id).then().statusCode(200)
                .body("maxConcurrency", equalTo(3)).body("toleratedFailurePercentage", equalTo(25.0f));
    }

    @Test
    void aNegativeMaxItemsFailsTheRunWithItemReaderFailedAndNothingIsRead() {
        String id = given().contentType(ContentType.JSON).body("""
                {"Input": {"max": -1}, "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                 "ReaderConfig": {"MaxItemsPath": "$.max"}, "Parameters": {"Bucket": "no-such-bucket-at-all"}}, %s}"""
                        .formatted(Specs.PROCESSOR))
                .when().post("/map-runs")
                .then().statusCode(201).extract().path("mapRunId");

        PlanningFailed failed = assertInstanceOf(PlanningFailed.class, runEvents(id, 2).get(1));
        assertEquals("States.ItemReaderFailed", failed.error());
        assertEquals("field MaxItems must be positive", failed.cause());
        assertEquals(0, failed.batchesPublished());
    }

    @Test
    void aPathThatFindsNothingFailsTheRunWithStatesRuntime() {
        String id = given().contentType(ContentType.JSON).body("""
                {"Input": {"items": [1, 2]}, "ItemsPath": "$.items", "ToleratedFailureCountPath": "$.nowhere", %s}"""
                        .formatted(Specs.PROCESSOR))
                .when().post("/map-runs")
                .then().statusCode(201).extract().path("mapRunId");

        PlanningFailed failed = assertInstanceOf(PlanningFailed.class, runEvents(id, 2).get(1));
        assertEquals("States.Runtime", failed.error());
        assertEquals("The JSONPath '$.nowhere' specified for the field 'ToleratedFailureCountPath' could not be found in "
                + "the input '{\"items\":[1,2]}'", failed.cause());
    }

    private List<RunEvent> runEvents(String id, int count) {
        return TopicReader.readUntil(kafka.bootstrapServers(), kafka.topics().runs(), id::equals, r -> r.size() >= count)
                .stream().map(r -> Json.fromBytes(r.value(), RunEvent.class)).toList();
    }
}
