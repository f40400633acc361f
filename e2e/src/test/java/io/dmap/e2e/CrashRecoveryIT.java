package io.dmap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.cli.PlannerApi;
import io.dmap.cli.ServiceProcess;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact under crashes: a worker and then the aggregator are killed outright (SIGKILL, no clean shutdown)
 * in the middle of a run; replacements are started; the run still ends with exact counts and every item
 * exactly once in the result files.
 */
class CrashRecoveryIT {

    static final String IN = "crash-in";
    static final String OUT = "crash-out";
    static final int ITEMS = 360;
    static final int BATCH = 3;
    static final int BATCHES = ITEMS / BATCH;

    static DmapInfra infra;
    static ServicesUnderTest services;
    static final Set<String> keys = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        infra = DmapInfra.shared();
        infra.createBucket(IN);
        infra.createBucket(OUT);
        for (int i = 0; i < ITEMS; i++) {
            String key = String.format("k/%04d.json", i);
            infra.s3().putObject(b -> b.bucket(IN).key(key), RequestBody.fromString("{}"));
            keys.add(key);
        }
        services = new ServicesUnderTest(infra, "crash" + System.nanoTime() % 100000, 6);
    }

    @AfterAll
    static void stop() throws Exception {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void killingAWorkerAndTheAggregatorMidRunLosesNothingAndCountsNothingTwice() throws Exception {
        ServiceProcess aggregator = services.startAggregator();
        ServiceProcess doomedWorker = services.startWorker();
        services.startWorker();
        services.startPlanner();
        PlannerApi api = new PlannerApi(services.plannerUrl());

        // Every batch waits 1 s: 120 batches over 6 lanes take ~20 s, long enough to crash things mid-run.
        String spec = """
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "%s", "Prefix": "k/"}},
                 "ItemBatcher": {"MaxItemsPerBatch": %d},
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                   "StartAt": "Work",
                   "States": {"Work": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
                              "Done": {"Type": "Pass", "Parameters": {"n.$": "$.Items[0].Key"}, "End": true}}},
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "%s", "Prefix": "crash"}}}
                """.formatted(IN, BATCH, OUT);
        PlannerApi.Answer created = api.post("/map-runs", spec);
        assertEquals(201, created.status(), () -> String.valueOf(created.body()));
        String id = created.body().path("mapRunId").asText();

        awaitFinishedExecutions(api, id, BATCHES / 5);
        doomedWorker.kill();
        services.startWorker();

        awaitFinishedExecutions(api, id, BATCHES / 2);
        aggregator.kill();
        services.startAggregator();

        JsonNode run;
        try {
            run = api.awaitTerminal(id, Duration.ofMinutes(5), s -> { });
        } catch (java.io.IOException e) {
            throw new AssertionError(e.getMessage() + services.logs(), e);
        }
        assertEquals("SUCCEEDED", run.path("status").asText(), () -> run + services.logs());
        JsonNode items = run.path("itemCounts");
        assertEquals(ITEMS, items.path("succeeded").asLong(), run::toString);
        assertEquals(ITEMS, items.path("total").asLong(), run::toString);
        assertEquals(0, items.path("failed").asLong(), run::toString);
        assertEquals(0, items.path("running").asLong(), run::toString);
        assertEquals(BATCHES, run.path("executionCounts").path("succeeded").asLong(), run::toString);

        String bucket = run.path("resultWriterDetails").path("bucket").asText();
        JsonNode manifest = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket)
                .key(run.path("resultWriterDetails").path("key").asText())).asUtf8String());
        List<String> seen = new ArrayList<>();
        for (JsonNode file : manifest.path("ResultFiles").path("SUCCEEDED")) {
            JsonNode records = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key(file.path("Key").asText())).asUtf8String());
            for (JsonNode record : records) {
                Json.parse(record.path("Input").asText()).path("Items").forEach(item -> seen.add(item.path("Key").asText()));
            }
        }
        assertEquals(ITEMS, seen.size(), "items across SUCCEEDED files");
        assertEquals(keys, new HashSet<>(seen));
        assertTrue(manifest.path("ResultFiles").path("FAILED").isEmpty());
    }

    /** Waits until the run's finished child executions reach {@code atLeast}, as DescribeMapRun reports them. */
    static void awaitFinishedExecutions(PlannerApi api, String id, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            PlannerApi.Answer a = api.get("/map-runs/" + id);
            if (a.status() == 200 && a.body().path("executionCounts").path("succeeded").asLong() >= atLeast) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " never reached " + atLeast + " finished executions" + services.logs());
    }
}
