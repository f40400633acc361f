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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Abort: a run of 60 batches, each waiting 2 s, two at a time, is aborted after a few finish. It ends ABORTED within
 * seconds (not after the minute its remaining batches would take); no batch starts after the abort was acknowledged;
 * the batches that never started are listed as pending; every item is in exactly one result file.
 */
class AbortIT {

    static final String IN = "abort-in";
    static final String OUT = "abort-out";
    static final int ITEMS = 60;
    /** How late a batch may still start after the abort's acknowledgement: the stop travels planner → aggregator → workers. */
    static final Duration START_TOLERANCE = Duration.ofSeconds(3);

    static DmapInfra infra;
    static ServicesUnderTest services;
    static final Set<String> keys = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        infra = DmapInfra.shared();
        infra.createBucket(IN);
        infra.createBucket(OUT);
        for (int i = 0; i < ITEMS; i++) {
            String key = String.format("a/%03d.json", i);
            infra.s3().putObject(b -> b.bucket(IN).key(key), RequestBody.fromString("{}"));
            keys.add(key);
        }
        services = new ServicesUnderTest(infra, "abort" + System.nanoTime() % 100000, 6).startAll(2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void anAbortedRunEndsWithinSecondsAndListsItsNeverStartedBatchesAsPending() throws Exception {
        PlannerApi api = new PlannerApi(services.plannerUrl());
        String spec = """
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "%s", "Prefix": "a/"}},
                 "ItemBatcher": {"MaxItemsPerBatch": 1},
                 "MaxConcurrency": 2,
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                   "StartAt": "Work",
                   "States": {"Work": {"Type": "Wait", "Seconds": 2, "Next": "Done"},
                              "Done": {"Type": "Pass", "Parameters": {"n.$": "$.Items[0].Key"}, "End": true}}},
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "%s", "Prefix": "abort"}}}
                """.formatted(IN, OUT);
        PlannerApi.Answer created = api.post("/map-runs", spec);
        assertEquals(201, created.status(), () -> String.valueOf(created.body()));
        String id = created.body().path("mapRunId").asText();

        awaitSucceededExecutions(api, id, 4);
        PlannerApi.Answer aborted = api.post("/map-runs/" + id + "/abort", "");
        Instant acknowledged = Instant.now();
        assertEquals(202, aborted.status(), () -> String.valueOf(aborted.body()));

        JsonNode run;
        try {
            run = api.awaitTerminal(id, Duration.ofSeconds(30), s -> { });
        } catch (java.io.IOException e) {
            throw new AssertionError(e.getMessage() + services.logs(), e);
        }
        Duration took = Duration.between(acknowledged, Instant.now());
        assertEquals("ABORTED", run.path("status").asText(), () -> run + services.logs());
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "ended " + took + " after the abort");

        JsonNode items = run.path("itemCounts");
        assertEquals(ITEMS, items.path("total").asLong(), run::toString);
        assertEquals(0, items.path("running").asLong(), run::toString);
        assertTrue(items.path("succeeded").asLong() >= 4, run::toString);
        assertTrue(items.path("pending").asLong() > 0, run::toString);

        String bucket = run.path("resultWriterDetails").path("bucket").asText();
        JsonNode manifest = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket)
                .key(run.path("resultWriterDetails").path("key").asText())).asUtf8String());
        List<JsonNode> succeeded = records(bucket, manifest, "SUCCEEDED");
        List<JsonNode> failed = records(bucket, manifest, "FAILED");
        List<JsonNode> pending = records(bucket, manifest, "PENDING");

        assertFalse(pending.isEmpty(), manifest::toString);
        assertEquals(items.path("pending").asLong(), pending.size(), run::toString);
        assertEquals(items.path("succeeded").asLong(), succeeded.size(), run::toString);
        for (JsonNode r : pending) {
            assertEquals("NOT_STARTED", r.path("Status").asText(), r::toString);
            assertTrue(r.path("StartDate").isMissingNode(), r::toString);
        }
        for (JsonNode r : failed) {
            assertEquals("ABORTED", r.path("Status").asText(), r::toString);
        }

        List<String> seen = new ArrayList<>();
        for (List<JsonNode> category : List.of(succeeded, failed, pending)) {
            for (JsonNode r : category) {
                Json.parse(r.path("Input").asText()).path("Items").forEach(item -> seen.add(item.path("Key").asText()));
                if (r.hasNonNull("StartDate")) {
                    Instant startedAt = Instant.parse(r.path("StartDate").asText());
                    assertFalse(startedAt.isAfter(acknowledged.plus(START_TOLERANCE)),
                            () -> "started at " + startedAt + ", after the abort was acknowledged at " + acknowledged + ": " + r);
                }
            }
        }
        assertEquals(ITEMS, seen.size(), "items across all result files");
        assertEquals(keys, new HashSet<>(seen));
    }

    static void awaitSucceededExecutions(PlannerApi api, String id, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            PlannerApi.Answer a = api.get("/map-runs/" + id);
            if (a.status() == 200 && a.body().path("executionCounts").path("succeeded").asLong() >= atLeast) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " never reached " + atLeast + " succeeded executions" + services.logs());
    }

    static List<JsonNode> records(String bucket, JsonNode manifest, String category) {
        List<JsonNode> records = new ArrayList<>();
        for (JsonNode file : manifest.path("ResultFiles").path(category)) {
            JsonNode array = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key(file.path("Key").asText()))
                    .asUtf8String());
            assertTrue(array instanceof ArrayNode, file::toString);
            array.forEach(records::add);
        }
        return records;
    }
}
