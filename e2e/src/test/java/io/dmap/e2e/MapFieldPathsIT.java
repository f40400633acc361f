package io.dmap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.cli.PlannerApi;
import io.dmap.common.json.Json;
import io.dmap.testsupport.DmapInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An AWS definition that names everything by paths over its input, through the three services: ItemReader and
 * ResultWriter Parameters with {@code .$} keys (one an intrinsic), ToleratedFailurePercentagePath and
 * MaxItemsPerBatchPath, and a BatchInput that carries {@code $$.State.EnteredTime} to every child. A bad path value
 * fails the run with AWS's error, shown by GET /map-runs/{id}.
 */
class MapFieldPathsIT {

    static final String BUCKET = "paths-e2e";
    static final int ITEMS = 20;

    static ServicesUnderTest services;
    static PlannerApi api;

    @BeforeAll
    static void start() throws Exception {
        DmapInfra infra = DmapInfra.shared();
        infra.createBucket(BUCKET);
        for (int i = 0; i < ITEMS; i++) {
            String key = "in/2026/%02d%s.txt".formatted(i, i == 5 ? "-bad" : "");
            infra.s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("item"));
        }
        services = new ServicesUnderTest(DmapInfra.shared(), "paths" + System.nanoTime() % 100000, 4).startAll(1);
        api = new PlannerApi(services.plannerUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (services != null) {
            services.close();
        }
    }

    static String spec(String input) {
        return """
                {"Type": "Map", "Label": "paths", "Input": %s,
                 "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                   "Parameters": {"Bucket.$": "$.data.bucket", "Prefix.$": "States.Format('in/{}/', $.data.year)"}},
                 "ItemBatcher": {"MaxItemsPerBatchPath": "$.limits.perBatch",
                   "BatchInput": {"BatchTimestamp.$": "$$.State.EnteredTime", "Run.$": "$$.Execution.Name"}},
                 "ToleratedFailurePercentagePath": "$.limits.tolerated",
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                   "StartAt": "Check",
                   "States": {
                     "Check": {"Type": "Choice", "Choices": [{"Variable": "$.Items[0].Key", "StringMatches": "*bad*", "Next": "Boom"},
                                                             {"Variable": "$.Items[1].Key", "StringMatches": "*bad*", "Next": "Boom"}],
                               "Default": "Done"},
                     "Boom": {"Type": "Fail", "Error": "BadKey", "Cause": "a key marked bad"},
                     "Done": {"Type": "Pass", "Parameters": {"first.$": "$.Items[0].Key", "at.$": "$.BatchInput.BatchTimestamp",
                                                             "run.$": "$.BatchInput.Run"}, "End": true}}},
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                   "Parameters": {"Bucket.$": "$.data.bucket", "Prefix": "results"}}}
                """.formatted(input);
    }

    JsonNode run(String spec) throws Exception {
        PlannerApi.Answer created = api.post("/map-runs", spec);
        assertEquals(201, created.status(), () -> "POST /map-runs answered " + created.body());
        try {
            return api.awaitTerminal(created.body().path("mapRunId").asText(), Duration.ofMinutes(3), s -> { });
        } catch (java.io.IOException e) {
            throw new AssertionError(e.getMessage() + services.logs(), e);
        }
    }

    @Test
    void pathsOverTheInputNameTheSourceTheBatchesTheThresholdAndTheResults() throws Exception {
        JsonNode run = run(spec("""
                {"data": {"bucket": "paths-e2e", "year": 2026}, "limits": {"perBatch": 2, "tolerated": 15}}"""));

        // one batch of 2 fails: 2 of 20 items = 10 %, under the 15 % read from the Input
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        assertEquals(15.0, run.path("toleratedFailurePercentage").asDouble());
        assertEquals(20, run.path("itemCounts").path("total").asLong());
        assertEquals(2, run.path("itemCounts").path("failed").asLong());
        assertEquals(10, run.path("executionCounts").path("total").asLong());
        assertEquals(BUCKET, run.path("resultWriterDetails").path("bucket").asText());

        String manifestKey = run.path("resultWriterDetails").path("key").asText();
        JsonNode manifest = Json.parse(DmapInfra.shared().s3()
                .getObjectAsBytes(b -> b.bucket(BUCKET).key(manifestKey)).asUtf8String());
        List<JsonNode> outputs = new ArrayList<>();
        for (JsonNode file : manifest.path("ResultFiles").path("SUCCEEDED")) {
            JsonNode records = Json.parse(DmapInfra.shared().s3()
                    .getObjectAsBytes(b -> b.bucket(BUCKET).key(file.path("Key").asText())).asUtf8String());
            records.forEach(r -> outputs.add(Json.parse(r.path("Output").asText())));
        }
        assertEquals(9, outputs.size());
        String startDate = run.path("startDate").asText();
        for (JsonNode output : outputs) {
            assertTrue(output.path("first").asText().startsWith("in/2026/"), output::toString);
            assertEquals(startDate, output.path("at").asText(), "BatchTimestamp is $$.State.EnteredTime: the run's start");
            assertEquals(run.path("mapRunId").asText(), output.path("run").asText());
        }
    }

    @Test
    void aBadThresholdFromThePathFailsTheRunWithAwsError() throws Exception {
        JsonNode run = run(spec("""
                {"data": {"bucket": "paths-e2e", "year": 2026}, "limits": {"perBatch": 2, "tolerated": 150}}"""));

        assertEquals("FAILED", run.path("status").asText(), run::toString);
        assertEquals("States.Runtime", run.path("error").asText());
        assertEquals("ToleratedFailurePercentage must be between 0 and 100.", run.path("cause").asText());
        assertEquals(0, run.path("itemCounts").path("succeeded").asLong());
    }
}
