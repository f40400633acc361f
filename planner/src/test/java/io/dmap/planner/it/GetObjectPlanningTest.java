package io.dmap.planner.it;

import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPlanned;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST → planning of getObject sources through the service, on the real broker and S3 server. */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
class GetObjectPlanningTest {

    private static final String BUCKET = "get-object-planning";

    @Inject
    KafkaClients kafka;

    @Test
    void aCsvObjectIsPlannedRowByRowAndAShortRowGetsEmptyStringsAsOnAws() {
        DmapInfra infra = DmapInfra.shared();
        infra.createBucket(BUCKET);
        infra.s3().putObject(b -> b.bucket(BUCKET).key("people.csv"),
                RequestBody.fromString("name;city\r\nAda;\"London; UK\"\r\nBob;Paris\r\nwrong\r\nCy;Rome\r\n"));

        String id = post(getObject("people.csv", "CSV", ", \"CSVHeaderLocation\": \"FIRST_ROW\", \"CSVDelimiter\": \"SEMICOLON\"",
                ", \"ItemBatcher\": {\"MaxItemsPerBatch\": 2}, \"ItemSelector\": {\"who.$\": \"$$.Map.Item.Value.name\", "
                        + "\"city.$\": \"$$.Map.Item.Value.city\", \"n.$\": \"$$.Map.Item.Index\"}"));

        RunPlanned planned = assertInstanceOf(RunPlanned.class, runEvents(id, 2).get(1));
        List<BatchMessage> batches = batches(id, 2);

        assertEquals(4, planned.totalItems());
        assertEquals(2, planned.totalBatches());
        assertEquals(Json.parse("{\"Items\": [{\"who\": \"Ada\", \"city\": \"London; UK\", \"n\": 0}, "
                + "{\"who\": \"Bob\", \"city\": \"Paris\", \"n\": 1}]}"), batches.get(0).input());
        assertNull(batches.get(0).readerError());
        assertEquals(Json.parse("{\"Items\": [{\"who\": \"wrong\", \"city\": \"\", \"n\": 2}, "
                + "{\"who\": \"Cy\", \"city\": \"Rome\", \"n\": 3}]}"), batches.get(1).input());
        assertNull(batches.get(1).readerError());
    }

    @Test
    void aMissingObjectFailsTheRunWithItemReaderFailedNamingIt() {
        DmapInfra.shared().createBucket(BUCKET);

        String id = post(getObject("nowhere.json", "JSON", "", ""));

        PlanningFailed failed = assertInstanceOf(PlanningFailed.class, runEvents(id, 2).get(1));
        assertEquals("States.ItemReaderFailed", failed.error());
        assertTrue(failed.cause().contains("s3://get-object-planning/nowhere.json"), failed.cause());
        assertTrue(failed.cause().contains("NoSuchKey"), failed.cause());
    }

    @Test
    void aJsonFileThatIsAScalarFailsTheRunNamingObjectAndLine() {
        DmapInfra infra = DmapInfra.shared();
        infra.createBucket(BUCKET);
        infra.s3().putObject(b -> b.bucket(BUCKET).key("obj.json"), RequestBody.fromString("\n\n42"));

        String id = post(getObject("obj.json", "JSON", "", ""));

        PlanningFailed failed = assertInstanceOf(PlanningFailed.class, runEvents(id, 2).get(1));
        assertEquals("States.ItemReaderFailed", failed.error());
        assertEquals("s3://get-object-planning/obj.json line 3: Attempting to map over non-iterable node.", failed.cause());
    }

    private static String getObject(String key, String inputType, String readerConfig, String extra) {
        return """
                {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "%s", "Key": "%s"},
                                "ReaderConfig": {"InputType": "%s"%s}}%s, %s}
                """.formatted(BUCKET, key, inputType, readerConfig, extra, Specs.PROCESSOR);
    }

    private static String post(String spec) {
        return given().contentType(ContentType.JSON).body(spec).when().post("/map-runs")
                .then().statusCode(201).extract().path("mapRunId");
    }

    private List<RunEvent> runEvents(String id, int count) {
        return TopicReader.readUntil(kafka.bootstrapServers(), kafka.topics().runs(), id::equals, r -> r.size() >= count)
                .stream().map(r -> Json.fromBytes(r.value(), RunEvent.class)).toList();
    }

    private List<BatchMessage> batches(String id, int count) {
        return TopicReader.readUntil(kafka.bootstrapServers(), kafka.topics().batches(), k -> k.startsWith(id + "/"),
                        r -> r.size() >= count).stream()
                .map(r -> Json.fromBytes(r.value(), BatchMessage.class))
                .sorted(Comparator.comparingLong(BatchMessage::batchIndex)).toList();
    }
}
