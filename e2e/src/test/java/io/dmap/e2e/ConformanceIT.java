package io.dmap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.cli.PlannerApi;
import io.dmap.common.json.Json;
import io.dmap.testsupport.DmapInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Map-level conformance cases (readers, ItemSelector, ItemBatcher, thresholds, ResultWriter): every folder
 * under {@code src/test/resources/conformance} is posted to the planner as a map run on one cluster (planner, a
 * worker, the aggregator as real processes on the real broker and S3 server) and checked against what AWS documents.
 * The format is described in that folder's README.md.
 */
class ConformanceIT {

    static final String RESULTS = "conformance-results";
    static final String ANY = "<present>";

    static DmapInfra infra;
    static ServicesUnderTest services;
    static PlannerApi api;

    @BeforeAll
    static void startCluster() throws Exception {
        infra = DmapInfra.shared();
        infra.createBucket(RESULTS);
        services = new ServicesUnderTest(infra, "conf" + System.nanoTime() % 100000, 4).startAll(1);
        api = new PlannerApi(services.plannerUrl());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (services != null) {
            services.close();
        }
    }

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    static Path root() throws URISyntaxException {
        return Path.of(ConformanceIT.class.getResource("/conformance").toURI());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesWhatAwsDocuments(String name) throws Exception {
        Path dir = root().resolve(name);
        String provenance = Files.readString(dir.resolve("provenance.md"));
        assertTrue(provenance.contains("https://") && provenance.contains("AWS-REFERENCE"),
                name + ": provenance.md must name the AWS page and the AWS-REFERENCE.md row");
        seed(dir.resolve("s3"));
        ObjectNode map = (ObjectNode) read(dir.resolve("definition.json"));
        if (Files.exists(dir.resolve("input.json"))) {
            map.set("Input", read(dir.resolve("input.json")));
        }
        JsonNode expected = read(dir.resolve("expected.json"));

        PlannerApi.Answer created = api.post("/map-runs", Json.toString(map));
        if (expected.has("Rejected")) {
            JsonNode rejected = expected.get("Rejected");
            assertEquals(rejected.path("status").asInt(400), created.status(), () -> name + ": " + created.body());
            assertEquals(rejected.path("field").asText(), created.body().path("field").asText(), () -> name + ": " + created.body());
            return;
        }
        assertEquals(201, created.status(), () -> name + ": POST /map-runs answered " + created.body());
        JsonNode run;
        try {
            run = api.awaitTerminal(created.body().path("mapRunId").asText(), Duration.ofMinutes(2), s -> { });
        } catch (IOException e) {
            throw new AssertionError(name + ": " + e.getMessage() + services.logs(), e);
        }
        String where = name + ": " + run;
        assertEquals(expected.path("Status").asText(), run.path("status").asText(), where);
        if (expected.has("Error")) {
            assertEquals(expected.get("Error").asText(), run.path("error").asText(), where);
        }
        if (expected.has("Cause")) {
            assertEquals(expected.get("Cause").asText(), run.path("cause").asText(), where);
        }
        assertSubset(expected.get("ItemCounts"), run.path("itemCounts"), where + " itemCounts");
        assertSubset(expected.get("ExecutionCounts"), run.path("executionCounts"), where + " executionCounts");
        if (expected.has("Results")) {
            JsonNode results = results(run, map.path("ResultWriter").path("WriterConfig"));
            for (String status : List.of("SUCCEEDED", "FAILED", "PENDING")) {
                if (expected.get("Results").has(status)) {
                    assertRecords(expected.get("Results").get(status), results.path(status), where + " " + status);
                }
            }
        }
    }

    /** Uploads {@code s3/<bucket>/<key>} files; each bucket is created first. */
    static void seed(Path s3) throws IOException {
        if (!Files.isDirectory(s3)) {
            return;
        }
        try (Stream<Path> buckets = Files.list(s3)) {
            for (Path bucket : buckets.filter(Files::isDirectory).toList()) {
                infra.createBucket(bucket.getFileName().toString());
                try (Stream<Path> files = Files.walk(bucket)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        String key = bucket.relativize(file).toString().replace('\\', '/');
                        infra.s3().putObject(b -> b.bucket(bucket.getFileName().toString()).key(key),
                                RequestBody.fromFile(file));
                    }
                }
            }
        }
    }

    /**
     * The entries of the run's result files, per status: records with their Input and Output parsed (Transformation
     * NONE, and every failed or pending record), or bare outputs (COMPACT, FLATTEN). OutputType JSONL files hold one
     * entry a line.
     */
    static JsonNode results(JsonNode run, JsonNode writerConfig) {
        String bucket = run.path("resultWriterDetails").path("bucket").asText();
        String key = run.path("resultWriterDetails").path("key").asText();
        assertTrue(!bucket.isEmpty() && !key.isEmpty(), "the run wrote no result manifest: " + run);
        boolean jsonLines = "JSONL".equals(writerConfig.path("OutputType").asText());
        boolean records = writerConfig.path("Transformation").asText("NONE").equals("NONE");
        JsonNode manifest = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
        ObjectNode out = Json.NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> categories = manifest.path("ResultFiles").fields();
        while (categories.hasNext()) {
            Map.Entry<String, JsonNode> category = categories.next();
            ArrayNode entries = out.putArray(category.getKey());
            for (JsonNode file : category.getValue()) {
                String fileKey = file.path("Key").asText();
                String text = infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key(fileKey)).asUtf8String();
                List<JsonNode> values = new ArrayList<>();
                if (jsonLines) {
                    text.lines().filter(l -> !l.isBlank()).forEach(l -> values.add(Json.parse(l)));
                } else {
                    Json.parse(text).forEach(values::add);
                }
                boolean parse = records || !"SUCCEEDED".equals(category.getKey());
                for (JsonNode value : values) {
                    entries.add(parse ? parsedRecord(value) : value);
                }
            }
        }
        return out;
    }

    private static JsonNode parsedRecord(JsonNode record) {
        ObjectNode parsed = record.deepCopy();
        for (String field : List.of("Input", "Output")) {
            if (record.path(field).isTextual()) {
                parsed.set(field, Json.parse(record.get(field).asText()));
            }
        }
        return parsed;
    }

    /** As many records as expected, and each expected record matches a different actual one (in any order). */
    static void assertRecords(JsonNode expected, JsonNode actual, String where) {
        assertEquals(expected.size(), actual.size(), where + ": record count; records: " + actual);
        List<JsonNode> left = new ArrayList<>();
        actual.forEach(left::add);
        for (JsonNode want : expected) {
            JsonNode match = left.stream().filter(a -> isSubset(want, a)).findFirst().orElse(null);
            if (match == null) {
                fail(where + ": no record matches " + want + " among " + left);
            }
            left.remove(match);
        }
    }

    static void assertSubset(JsonNode expected, JsonNode actual, String where) {
        if (expected != null) {
            assertTrue(isSubset(expected, actual), where + ": expected at least " + expected + ", was " + actual);
        }
    }

    /**
     * Objects: every expected field is there with a matching value (other fields are free); arrays and scalars:
     * equal, element by element; the string {@value #ANY} matches any present value.
     */
    static boolean isSubset(JsonNode expected, JsonNode actual) {
        if (expected.isTextual() && ANY.equals(expected.asText())) {
            return actual != null && !actual.isMissingNode() && !actual.isNull();
        }
        if (expected.isObject()) {
            if (actual == null || !actual.isObject()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!isSubset(f.getValue(), actual.path(f.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray()) {
            if (actual == null || !actual.isArray() || actual.size() != expected.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!isSubset(expected.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isNumber() && actual != null && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }

    static JsonNode read(Path file) throws IOException {
        return Json.parse(Files.readString(file));
    }
}
