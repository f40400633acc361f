package io.dmap.planner.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.events.RunRequested;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Placement;
import io.dmap.planner.messaging.KafkaClients;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Planning against the real broker and S3 server: what lands on map-batches and map-runs. */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
class PlanningTest {

    @Inject
    KafkaClients kafka;

    @Test
    void listsTheBucketAndPublishesBatchesOnTheRunsPartitions() throws Exception {
        DmapInfra infra = DmapInfra.shared();
        String bucket = "planning-listing";
        infra.createBucket(bucket);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String key = "in/obj %02d%s.txt".formatted(i, switch (i % 3) {
                case 0 -> " ü é";
                case 1 -> "/日本 語";
                default -> "";
            });
            infra.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content(key)));
            keys.add(key);
        }
        infra.s3().putObject(b -> b.bucket(bucket).key("other/outside-the-prefix.txt"), RequestBody.fromString("x"));
        keys.sort(Comparator.comparing(k -> new String(k.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
        Instant before = Instant.now().minusSeconds(60);

        io.restassured.response.Response response = given().contentType(ContentType.JSON)
                .body(Specs.listing(bucket, "in/", "\"ItemBatcher\": {\"MaxItemsPerBatch\": 7}, \"MaxConcurrency\": 2"))
                .when().post("/map-runs")
                .then().statusCode(201).body("status", equalTo("RUNNING")).extract().response();
        String id = response.path("mapRunId");
        assertEquals("/map-runs/" + id, response.header("Location"));

        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(kafka.bootstrapServers(),
                kafka.topics().batches(), k -> k.startsWith(id + "/"), r -> r.size() >= 4);
        List<RunEvent> events = runEvents(id, 2);

        records.sort(Comparator.comparingLong(r -> Json.fromBytes(r.value(), BatchMessage.class).batchIndex()));
        int partitions = kafka.batchPartitions();
        List<String> seen = new ArrayList<>();
        Set<Integer> usedPartitions = new HashSet<>();
        long firstItem = 0;
        for (int i = 0; i < records.size(); i++) {
            BatchMessage batch = Json.fromBytes(records.get(i).value(), BatchMessage.class);
            assertEquals(i, batch.batchIndex());
            assertEquals(id + "/" + i, records.get(i).key());
            assertEquals(Placement.partitionFor(id, i, 2, partitions), records.get(i).partition());
            usedPartitions.add(records.get(i).partition());
            assertEquals(firstItem, batch.firstItemIndex());
            assertNull(batch.processor(), "the definition travels once per run, not in every batch");
            assertEquals(BatchMessage.SCHEMA_VERSION_DEFINITION_APART, batch.v());
            JsonNode items = batch.input().get("Items");
            assertEquals(batch.itemCount(), items.size());
            firstItem += items.size();
            for (JsonNode item : items) {
                String key = item.get("Key").asText();
                seen.add(key);
                assertEquals("\"" + md5(content(key)) + "\"", item.get("Etag").asText(), "Etag with its quotes");
                assertTrue(item.get("LastModified").isIntegralNumber(), "LastModified is epoch seconds: " + item);
                assertTrue(item.get("LastModified").asLong() >= before.getEpochSecond());
                assertEquals(content(key).getBytes(StandardCharsets.UTF_8).length, item.get("Size").asLong());
                assertEquals("STANDARD", item.get("StorageClass").asText());
                assertEquals(5, item.size(), "exactly AWS's fields: " + item);
            }
        }
        List<ConsumerRecord<String, byte[]>> definitions = TopicReader.readToEnd(kafka.bootstrapServers(),
                kafka.topics().definitions(), id::equals);
        assertEquals(1, definitions.size(), "one definition per run");
        io.dmap.common.events.RunDefinition definition = Json.fromBytes(definitions.get(0).value(),
                io.dmap.common.events.RunDefinition.class);
        assertEquals("P", definition.processor().get("StartAt").asText());
        assertEquals(io.dmap.common.spec.Arns.mapRun(null, id), definition.mapRunArn(),
                "the run's ARN, which names its children, travels with the definition");
        assertEquals(List.of(7, 7, 7, 4), records.stream()
                .map(r -> Json.fromBytes(r.value(), BatchMessage.class).itemCount()).toList());
        assertEquals(keys, seen, "every key once, in key order");
        assertEquals(2, usedPartitions.size());

        assertInstanceOf(RunRequested.class, events.get(0));
        assertEquals(2, ((RunRequested) events.get(0)).config().maxConcurrency());
        RunPlanned planned = assertInstanceOf(RunPlanned.class, events.get(1));
        assertEquals(25, planned.totalItems());
        assertEquals(4, planned.totalBatches());

        given().when().get("/map-runs/" + id).then().statusCode(200)
                .body("mapRunId", equalTo(id)).body("status", equalTo("RUNNING"))
                .body("maxConcurrency", equalTo(2)).body("itemCounts.total", equalTo(0));
    }

    @Test
    void inlineItemsGoThroughTheItemSelectorOneBatchPerItem() {
        String id = given().contentType(ContentType.JSON).body("""
                        {"ItemsPath": "$.orders", "Input": {"orders": [{"id": "a"}, {"id": "b"}], "region": "eu"},
                         "ItemSelector": {"order.$": "$$.Map.Item.Value.id", "n.$": "$$.Map.Item.Index", "region.$": "$.region",
                                          "fixed": "f"}, %s}""".formatted(Specs.PROCESSOR))
                .when().post("/map-runs")
                .then().statusCode(201).extract().path("mapRunId");

        List<BatchMessage> batches = TopicReader.readUntil(kafka.bootstrapServers(), kafka.topics().batches(),
                        k -> k.startsWith(id + "/"), r -> r.size() >= 2).stream()
                .map(r -> Json.fromBytes(r.value(), BatchMessage.class))
                .sorted(Comparator.comparingLong(BatchMessage::batchIndex)).toList();

        assertEquals(Json.parse("{\"order\": \"a\", \"n\": 0, \"region\": \"eu\", \"fixed\": \"f\"}"), batches.get(0).input());
        assertEquals(Json.parse("{\"order\": \"b\", \"n\": 1, \"region\": \"eu\", \"fixed\": \"f\"}"), batches.get(1).input());
        assertEquals(1, batches.get(1).itemCount());
        RunPlanned planned = assertInstanceOf(RunPlanned.class, runEvents(id, 2).get(1));
        assertEquals(2, planned.totalItems());
    }

    @Test
    void aMissingBucketFailsTheRunWithItemReaderFailedNamingTheBucket() {
        String id = given().contentType(ContentType.JSON)
                .body(Specs.listing("no-such-bucket-here", "", ""))
                .when().post("/map-runs")
                .then().statusCode(201).extract().path("mapRunId");

        List<RunEvent> events = runEvents(id, 2);

        assertInstanceOf(RunRequested.class, events.get(0));
        PlanningFailed failed = assertInstanceOf(PlanningFailed.class, events.get(1));
        assertEquals("States.ItemReaderFailed", failed.error());
        assertTrue(failed.cause().contains("no-such-bucket-here"), failed.cause());
        assertTrue(failed.cause().contains("NoSuchBucket"), failed.cause());
        assertEquals(0, failed.batchesPublished());
    }

    @Test
    void theSameNameTwiceStartsOneRun() {
        String spec = "{\"Name\": \"nightly-2026-11-26\", \"Label\": \"nightly\", \"Input\": [1, 2, 3], %s}"
                .formatted(Specs.PROCESSOR);

        String first = given().contentType(ContentType.JSON).body(spec).when().post("/map-runs")
                .then().statusCode(201).extract().path("mapRunId");
        String second = given().contentType(ContentType.JSON).body(spec).when().post("/map-runs")
                .then().statusCode(200).body("status", equalTo("RUNNING")).extract().path("mapRunId");

        assertEquals(idOf("nightly-2026-11-26"), first);
        assertEquals(first, second);
        runEvents(first, 2); // planned: both POSTs have returned, so any second RunRequested is on the topic now
        List<RunEvent> all = TopicReader.readToEnd(kafka.bootstrapServers(), kafka.topics().runs(), first::equals).stream()
                .map(r -> Json.fromBytes(r.value(), RunEvent.class)).toList();
        assertEquals(1, all.stream().filter(e -> e instanceof RunRequested).count(), all.toString());
        assertEquals("nightly-2026-11-26", ((RunRequested) all.get(0)).name());
    }

    @Test
    void anAcceptedRunIsListedAndCanBeAborted() {
        String id = given().contentType(ContentType.JSON).body(Specs.inline()).when().post("/map-runs")
                .then().statusCode(201).extract().path("mapRunId");

        given().when().get("/map-runs?maxResults=1000").then().statusCode(200)
                .body("mapRuns.mapRunId", org.hamcrest.Matchers.hasItem(id));
        given().when().post("/map-runs/" + id + "/abort").then().statusCode(202).body("mapRunId", equalTo(id));

        List<RunEvent> events = TopicReader.readUntil(kafka.bootstrapServers(), kafka.topics().runs(), id::equals,
                r -> r.stream().anyMatch(x -> Json.fromBytes(x.value(), RunEvent.class)
                        instanceof io.dmap.common.events.AbortRequested)).stream()
                .map(r -> Json.fromBytes(r.value(), RunEvent.class)).toList();
        assertInstanceOf(RunRequested.class, events.get(0));
    }

    private List<RunEvent> runEvents(String id, int count) {
        return TopicReader.readUntil(kafka.bootstrapServers(), kafka.topics().runs(), id::equals, r -> r.size() >= count)
                .stream().map(r -> Json.fromBytes(r.value(), RunEvent.class)).toList();
    }

    private static String idOf(String name) {
        return io.dmap.planner.service.RunIds.forName(name);
    }

    private static String content(String key) {
        return "content of " + key;
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
