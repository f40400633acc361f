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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outputs bigger than a Kafka message: each child returns ~630 KB (above the worker's default claim-check threshold
 * of 512 KiB). The worker stores the output in S3 and passes it by reference; the run succeeds and the result file
 * holds every output in full.
 */
class LargeOutputIT {

    static final String IN = "large-in";
    static final String OUT = "large-out";
    static final String CLAIMS = "large-claims";
    static final int ITEMS = 3;
    static final int ARRAYS = 90;

    static DmapInfra infra;
    static ServicesUnderTest services;

    @BeforeAll
    static void start() throws Exception {
        infra = DmapInfra.shared();
        for (String b : List.of(IN, OUT, CLAIMS)) {
            infra.createBucket(b);
        }
        for (int i = 0; i < ITEMS; i++) {
            String key = "l/" + i + ".json";
            infra.s3().putObject(b -> b.bucket(IN).key(key), RequestBody.fromString("{}"));
        }
        services = new ServicesUnderTest(infra, "large" + System.nanoTime() % 100000, 4);
        services.startAggregator();
        services.startWorker(Map.of("worker.claim-check.bucket", CLAIMS));
        services.startPlanner();
    }

    @AfterAll
    static void stop() throws Exception {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void anOutputTooBigForKafkaReachesTheResultFileInFull() throws Exception {
        StringBuilder parameters = new StringBuilder("\"key.$\": \"$.Items[0].Key\"");
        for (int i = 0; i < ARRAYS; i++) {
            parameters.append(", \"r").append(i).append(".$\": \"States.ArrayRange(100000, 100999, 1)\"");
        }
        String spec = """
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "%s", "Prefix": "l/"}},
                 "ItemBatcher": {"MaxItemsPerBatch": 1},
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                   "StartAt": "Big",
                   "States": {"Big": {"Type": "Pass", "Parameters": {%s}, "End": true}}},
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "%s", "Prefix": "large"}}}
                """.formatted(IN, parameters, OUT);
        PlannerApi api = new PlannerApi(services.plannerUrl());
        PlannerApi.Answer created = api.post("/map-runs", spec);
        assertEquals(201, created.status(), () -> String.valueOf(created.body()));
        String id = created.body().path("mapRunId").asText();
        JsonNode run;
        try {
            run = api.awaitTerminal(id, Duration.ofMinutes(3), s -> { });
        } catch (java.io.IOException e) {
            throw new AssertionError(e.getMessage() + services.logs(), e);
        }
        assertEquals("SUCCEEDED", run.path("status").asText(), () -> run + services.logs());
        assertEquals(ITEMS, run.path("itemCounts").path("succeeded").asLong(), run::toString);

        for (int b = 0; b < ITEMS; b++) {
            String key = "claim-check/" + id + "/" + b + "-0-output.json";
            assertTrue(infra.s3().headObject(r -> r.bucket(CLAIMS).key(key)).contentLength() > 512 * 1024, key);
        }
        String bucket = run.path("resultWriterDetails").path("bucket").asText();
        JsonNode manifest = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket)
                .key(run.path("resultWriterDetails").path("key").asText())).asUtf8String());
        List<JsonNode> records = new java.util.ArrayList<>();
        for (JsonNode file : manifest.path("ResultFiles").path("SUCCEEDED")) {
            Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key(file.path("Key").asText())).asUtf8String())
                    .forEach(records::add);
        }
        assertEquals(ITEMS, records.size());
        for (JsonNode r : records) {
            JsonNode output = Json.parse(r.path("Output").asText());
            String item = Json.parse(r.path("Input").asText()).path("Items").get(0).path("Key").asText();
            assertEquals(item, output.path("key").asText(), "the output of this record's own execution");
            assertEquals(ARRAYS + 1, output.size());
            assertEquals(1000, output.path("r" + (ARRAYS - 1)).size());
            assertEquals(100999, output.path("r" + (ARRAYS - 1)).get(999).asInt());
        }
    }
}
