package io.dmap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dmap.cli.PlannerApi;
import io.dmap.common.json.Json;
import io.dmap.testsupport.DmapInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One map run end to end, as a user sees it: 1,500 S3 objects (more than one listing page, keys with spaces
 * and non-ASCII characters) in batches of 7; the child fails every batch whose first key is marked "bad"
 * (22 batches, 154 items). The planner, two workers and the aggregator run as real processes on the real
 * broker and S3 server.
 */
class MapRunEndToEndIT {

    static final String IN = "e2e-in";
    static final String OUT = "e2e-out";
    static final int ITEMS = 1500;
    static final int BATCH = 7;
    static final int BATCHES = (ITEMS + BATCH - 1) / BATCH;          // 215
    static final int BAD_BATCHES = 22;                               // batch b with b % 10 == 3
    static final int BAD_ITEMS = BAD_BATCHES * BATCH;                // 154, 10.27 % of 1,500

    static DmapInfra infra;
    static ServicesUnderTest services;
    static PlannerApi api;
    static final Set<String> keys = new HashSet<>();

    @BeforeAll
    static void startEverything() throws Exception {
        infra = DmapInfra.shared();
        infra.createBucket(IN);
        infra.createBucket(OUT);
        String[] tags = {"ok", "ok ü 漢字", "straße", "two  spaces"};
        for (int i = 0; i < ITEMS; i++) {
            boolean bad = i % BATCH == 0 && (i / BATCH) % 10 == 3;
            String key = String.format("data/%04d %s.txt", i, bad ? "bad é" : tags[i % tags.length]);
            infra.s3().putObject(b -> b.bucket(IN).key(key), RequestBody.fromString("item " + i));
            keys.add(key);
        }
        services = new ServicesUnderTest(infra, "e2e" + System.nanoTime() % 100000, 8).startAll(2);
        api = new PlannerApi(services.plannerUrl());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (services != null) {
            services.close();
        }
    }

    static String spec(String tolerance, int maxConcurrency, String prefix) {
        return """
                {
                  "Type": "Map",
                  "Label": "e2e",
                  "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "%s", "Prefix": "data/"}},
                  "ItemBatcher": {"MaxItemsPerBatch": %d, "BatchInput": {"suite": "e2e"}},
                  "MaxConcurrency": %d,
                  %s,
                  "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "Check",
                    "States": {
                      "Check": {"Type": "Choice",
                                "Choices": [{"Variable": "$.Items[0].Key", "StringMatches": "*bad*", "Next": "Boom"}],
                                "Default": "Done"},
                      "Boom": {"Type": "Fail", "Error": "BadKey", "Cause": "this batch holds a key marked bad"},
                      "Done": {"Type": "Pass", "Parameters": {"first.$": "$.Items[0].Key", "suite.$": "$.BatchInput.suite"}, "End": true}
                    }
                  },
                  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "%s", "Prefix": "%s"}}
                }
                """.formatted(IN, BATCH, maxConcurrency, tolerance, OUT, prefix);
    }

    JsonNode run(String spec) throws Exception {
        PlannerApi.Answer created = api.post("/map-runs", spec);
        assertEquals(201, created.status(), () -> "POST /map-runs answered " + created.body());
        String id = created.body().path("mapRunId").asText();
        assertFalse(id.isEmpty());
        try {
            return api.awaitTerminal(id, Duration.ofMinutes(4), status -> { });
        } catch (java.io.IOException e) {
            throw new AssertionError(e.getMessage() + services.logs(), e);
        }
    }

    @Test
    void aThresholdJustAboveTheFailureRateSucceedsWithExactCountsAndResultFiles() throws Exception {
        JsonNode run = run(spec("\"ToleratedFailurePercentage\": 10.3", 0, "above"));
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        assertCounts(run.path("itemCounts"), ITEMS - BAD_ITEMS, BAD_ITEMS, 0, ITEMS);
        assertCounts(run.path("executionCounts"), BATCHES - BAD_BATCHES, BAD_BATCHES, 0, BATCHES);
        assertEquals(ITEMS, run.path("itemCounts").path("resultsWritten").asLong(), run::toString);

        Results results = readResults(run);
        assertEquals(BATCHES - BAD_BATCHES, results.succeeded.size());
        assertEquals(BAD_BATCHES, results.failed.size());
        assertTrue(results.pending.isEmpty());
        assertEveryKeyExactlyOnce(results);
        for (JsonNode record : results.failed) {
            assertEquals("FAILED", record.path("Status").asText());
            assertEquals("BadKey", record.path("Error").asText());
            assertTrue(itemKeys(record).get(0).contains("bad"), record::toString);
        }
        for (JsonNode record : results.succeeded) {
            assertEquals("SUCCEEDED", record.path("Status").asText());
            assertTrue(itemKeys(record).stream().noneMatch(k -> k.contains("bad")), record::toString);
            JsonNode output = Json.parse(record.path("Output").asText());
            assertEquals(itemKeys(record).get(0), output.path("first").asText());
            assertEquals("e2e", output.path("suite").asText());
        }
    }

    @Test
    void aThresholdJustBelowTheFailureRateFails() throws Exception {
        JsonNode run = run(spec("\"ToleratedFailurePercentage\": 10.2", 0, "below"));
        assertEquals("FAILED", run.path("status").asText(), run::toString);
        assertEquals("States.ExceedToleratedFailureThreshold", run.path("error").asText(), run::toString);
        assertEquals(ITEMS, run.path("itemCounts").path("total").asLong(), run::toString);
        assertEveryKeyExactlyOnce(readResults(run));
    }

    @Test
    void theFailureCountBoundaryIsExact() throws Exception {
        JsonNode equal = run(spec("\"ToleratedFailureCount\": " + BAD_ITEMS, 0, "count-equal"));
        assertEquals("SUCCEEDED", equal.path("status").asText(), equal::toString);
        JsonNode oneLess = run(spec("\"ToleratedFailureCount\": " + (BAD_ITEMS - 1), 0, "count-less"));
        assertEquals("FAILED", oneLess.path("status").asText(), oneLess::toString);
        assertEquals("States.ExceedToleratedFailureThreshold", oneLess.path("error").asText());
    }

    @Test
    void aRunThatFailsEarlyListsItsNeverStartedItemsAsPending() throws Exception {
        // One lane: the run fails at its 4th batch, long before the other 211 would start.
        JsonNode run = run(spec("\"ToleratedFailureCount\": 0", 1, "early"));
        assertEquals("FAILED", run.path("status").asText(), run::toString);
        JsonNode items = run.path("itemCounts");
        assertTrue(items.path("pending").asLong() > 0, run::toString);
        assertEquals(0, items.path("running").asLong(), run::toString);
        assertEquals(ITEMS, items.path("pending").asLong() + items.path("succeeded").asLong() + items.path("failed").asLong(),
                run::toString);
        Results results = readResults(run);
        assertFalse(results.pending.isEmpty());
        assertEveryKeyExactlyOnce(results);
    }

    static void assertCounts(JsonNode counts, long succeeded, long failed, long pending, long total) {
        assertEquals(succeeded, counts.path("succeeded").asLong(), counts::toString);
        assertEquals(failed, counts.path("failed").asLong(), counts::toString);
        assertEquals(pending, counts.path("pending").asLong(), counts::toString);
        assertEquals(0, counts.path("running").asLong(), counts::toString);
        assertEquals(total, counts.path("total").asLong(), counts::toString);
    }

    record Results(List<JsonNode> succeeded, List<JsonNode> failed, List<JsonNode> pending) {
    }

    /** Reads the manifest from resultWriterDetails, checks each listed file's size against S3, parses the records. */
    static Results readResults(JsonNode run) {
        String bucket = run.path("resultWriterDetails").path("bucket").asText();
        String manifestKey = run.path("resultWriterDetails").path("key").asText();
        assertEquals(OUT, bucket, run::toString);
        assertTrue(manifestKey.endsWith(run.path("mapRunId").asText() + "/manifest.json"), manifestKey);
        JsonNode manifest = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key(manifestKey)).asUtf8String());
        assertEquals(OUT, manifest.path("DestinationBucket").asText());
        assertEquals(run.path("mapRunArn").asText(), manifest.path("MapRunArn").asText());
        return new Results(records(manifest, "SUCCEEDED"), records(manifest, "FAILED"), records(manifest, "PENDING"));
    }

    static List<JsonNode> records(JsonNode manifest, String category) {
        List<JsonNode> records = new ArrayList<>();
        for (JsonNode file : manifest.path("ResultFiles").path(category)) {
            String key = file.path("Key").asText();
            long size = infra.s3().headObject(b -> b.bucket(OUT).key(key)).contentLength();
            assertEquals(size, file.path("Size").asLong(), "manifest size of " + key);
            JsonNode array = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(OUT).key(key)).asUtf8String());
            assertTrue(array instanceof ArrayNode, key + " is not a JSON array");
            array.forEach(records::add);
        }
        return records;
    }

    static List<String> itemKeys(JsonNode record) {
        List<String> out = new ArrayList<>();
        Json.parse(record.path("Input").asText()).path("Items").forEach(item -> out.add(item.path("Key").asText()));
        return out;
    }

    static void assertEveryKeyExactlyOnce(Results results) {
        List<String> seen = new ArrayList<>();
        for (List<JsonNode> category : List.of(results.succeeded, results.failed, results.pending)) {
            category.forEach(r -> seen.addAll(itemKeys(r)));
        }
        assertEquals(ITEMS, seen.size(), "records across all result files");
        assertEquals(keys, new HashSet<>(seen));
    }
}
