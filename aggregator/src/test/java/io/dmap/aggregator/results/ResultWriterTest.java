package io.dmap.aggregator.results;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.aggregator.topology.VerbatimJsonSerde;
import io.dmap.common.events.BatchInputRef;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.OutputType;
import io.dmap.common.events.RunConfig;
import io.dmap.common.events.Transformation;
import io.dmap.common.json.Json;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The result files as a user reads them, written to the real S3 server. */
@ExtendWith(DmapInfraExtension.class)
class ResultWriterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String RUN = "run-rw";
    private static final Serde<ExecutionRecord> STORE = VerbatimJsonSerde.of(ExecutionRecord.class);

    @TempDir
    Path temp;

    private DmapInfra infra;
    private String bucket;

    @BeforeEach
    void bucket(DmapInfra infra) {
        this.infra = infra;
        this.bucket = "rw-" + UUID.randomUUID().toString().substring(0, 8);
        infra.createBucket(bucket);
    }

    @Test
    void compactJsonLinesWritesOutputsOnlyForSucceededAndFullRecordsOtherwise() throws Exception {
        ResultWriter.Written w = write(OutputType.JSONL, Transformation.COMPACT, Long.MAX_VALUE, List.of(
                succeeded(0, "{\"a\":1}"), succeeded(1, "[1,2]"), failed(2), notStarted(3)));
        assertEquals(5, w.itemsWritten());
        JsonNode manifest = json(w.manifestKey());
        String prefix = "results/" + RUN + "/";
        assertEquals(prefix + "manifest.json", w.manifestKey());

        List<String> succeeded = lines(manifest, "SUCCEEDED");
        assertEquals(List.of("{\"a\":1}", "[1,2]"), succeeded);
        List<String> failed = lines(manifest, "FAILED");
        assertEquals(1, failed.size());
        JsonNode f = Json.parse(failed.get(0));
        assertEquals("FAILED", f.get("Status").asText());
        assertEquals("States.TaskFailed", f.get("Error").asText());
        assertEquals("boom", f.get("Cause").asText());
        assertEquals("{\"Items\":[2]}", f.get("Input").asText());
        assertNull(f.get("Output"));
        List<String> pending = lines(manifest, "PENDING");
        assertEquals(1, pending.size());
        JsonNode p = Json.parse(pending.get(0));
        assertEquals("NOT_STARTED", p.get("Status").asText());
        assertNull(p.get("StartDate"));
        assertEquals(RUN + "-3", p.get("Name").asText());
    }

    @Test
    void flattenSpreadsArrayOutputsIntoOneArray() throws Exception {
        ResultWriter.Written w = write(OutputType.JSON, Transformation.FLATTEN, Long.MAX_VALUE, List.of(
                succeeded(0, "[1,2]"), succeeded(1, "{\"b\":3}"), succeeded(2, "[]")));
        JsonNode manifest = json(w.manifestKey());
        assertEquals(0, manifest.get("ResultFiles").get("FAILED").size(), "no records, no file");
        assertEquals(0, manifest.get("ResultFiles").get("PENDING").size());
        JsonNode files = manifest.get("ResultFiles").get("SUCCEEDED");
        assertEquals(1, files.size());
        assertEquals(Json.parse("[1,2,{\"b\":3}]"), json(files.get(0).get("Key").asText()));
    }

    @Test
    void filesRollOverPastTheSizeBoundAndTheManifestHasTheirRealSizes() throws Exception {
        List<ExecutionRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(succeeded(i, "{\"n\":" + i + "}"));
        }
        ResultWriter.Written w = write(OutputType.JSON, Transformation.NONE, 1000, records);
        JsonNode files = json(w.manifestKey()).get("ResultFiles").get("SUCCEEDED");
        assertTrue(files.size() > 1, "several files: " + files);
        List<String> names = new ArrayList<>();
        for (int n = 0; n < files.size(); n++) {
            String key = files.get(n).get("Key").asText();
            assertEquals("results/" + RUN + "/SUCCEEDED_" + n + ".json", key);
            long size = infra.s3().headObject(b -> b.bucket(bucket).key(key)).contentLength();
            assertEquals(size, files.get(n).get("Size").asLong());
            assertTrue(size <= 1000, key + " within the bound: " + size);
            json(key).forEach(r -> names.add(r.get("Name").asText()));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(RUN + "-" + i);
        }
        assertEquals(expected, names, "every record once, in batch order");
        try (var left = Files.list(temp)) {
            assertFalse(left.findAny().isPresent(), "temp files are removed");
        }
    }

    @Test
    void anInputPassedByClaimCheckIsReadBackIntoTheRecord() throws Exception {
        String input = "{\"Items\":[\"" + "x".repeat(2000) + "\"]}";
        infra.s3().putObject(b -> b.bucket(bucket).key("claims/run-rw/7.json"), RequestBody.fromString(input));
        ExecutionRecord claimed = new ExecutionRecord(RUN, 7, ExecutionStatus.FAILED.name(), 1, null, null,
                "States.TaskFailed", "boom", T0, T0, 0, new BatchInputRef(bucket, "claims/run-rw/7.json"));
        ResultWriter.Written w = write(OutputType.JSONL, Transformation.NONE, Long.MAX_VALUE, List.of(claimed));
        JsonNode record = Json.parse(lines(json(w.manifestKey()), "FAILED").get(0));
        assertEquals(Json.parse(input), Json.parse(record.get("Input").asText()));
    }

    @Test
    void anOutputPassedByClaimCheckIsReadBackIntoTheRecordAndIntoCompactResults() throws Exception {
        String output = "{\"big\":\"" + "y".repeat(3000) + "\"}";
        infra.s3().putObject(b -> b.bucket(bucket).key("claim-check/run-rw/8-0-output.json"), RequestBody.fromString(output));
        ExecutionRecord claimed = new ExecutionRecord(RUN, 8, ExecutionStatus.SUCCEEDED.name(), 1, Json.parse("{\"Items\":[8]}"),
                null, null, null, T0, T0, 0, null, new BatchInputRef(bucket, "claim-check/run-rw/8-0-output.json"));
        JsonNode full = Json.parse(lines(json(write(OutputType.JSONL, Transformation.NONE, Long.MAX_VALUE,
                List.of(claimed)).manifestKey()),
                "SUCCEEDED").get(0));
        assertEquals(Json.parse(output), Json.parse(full.get("Output").asText()));
        JsonNode compact = Json.parse(lines(json(write(OutputType.JSONL, Transformation.COMPACT, Long.MAX_VALUE,
                List.of(claimed)).manifestKey()),
                "SUCCEEDED").get(0));
        assertEquals(Json.parse(output), compact);
    }

    @Test
    void theRunOfAParentExecutionIsNamedAsAwsNamesIt() throws Exception {
        String parentArn = "arn:dmap:states:local:000000000000:mapRun:orders/L:" + RUN;
        RunConfig run = new RunConfig("L", 0, null, null, null, parentArn);
        ResultWriter writer = new ResultWriter(infra.s3(), Long.MAX_VALUE, temp);
        RunConfig.ResultWriterConfig config = new RunConfig.ResultWriterConfig(bucket, "results", OutputType.JSONL, Transformation.NONE);
        ResultWriter.Written w = writer.write(RUN, config, io.dmap.common.spec.Arns.mapRunOf(run, RUN),
                List.of(succeeded(0, "1")).iterator(), true);
        JsonNode manifest = json(w.manifestKey());
        assertEquals(parentArn, manifest.get("MapRunArn").asText(), "the ARN the API answers for the run");
        JsonNode record = Json.parse(lines(manifest, "SUCCEEDED").get(0));
        assertEquals("arn:dmap:states:local:000000000000:execution:orders/L:" + RUN + "-0",
                record.get("ExecutionArn").asText());
        assertEquals("arn:dmap:states:local:000000000000:stateMachine:orders/L", record.get("StateMachineArn").asText());

        JsonNode own = json(write(OutputType.JSON, Transformation.NONE, Long.MAX_VALUE, List.of(succeeded(0, "1"))).manifestKey());
        assertEquals("arn:dmap:states:local:000000000000:mapRun:dmap/L:" + RUN, own.get("MapRunArn").asText(),
                "a run posted on its own keeps dmap's form");
    }

    @Test
    void keyPrefixIsNormalised() {
        assertEquals("a/b/r/", ResultWriter.keyPrefix("a/b/", "r"));
        assertEquals("a/r/", ResultWriter.keyPrefix("a", "r"));
        assertEquals("r/", ResultWriter.keyPrefix(null, "r"));
        assertEquals("r/", ResultWriter.keyPrefix("", "r"));
    }

    @Test
    void missingBucketIsReportedByS3() {
        ResultWriter writer = new ResultWriter(infra.s3(), Long.MAX_VALUE, temp);
        RunConfig.ResultWriterConfig config = new RunConfig.ResultWriterConfig("no-such-" + bucket, "p", OutputType.JSON, Transformation.NONE);
        assertThrows(NoSuchBucketException.class,
                () -> writer.write(RUN, "L", config, List.of(succeeded(0, "1")).iterator()));
    }

    private ResultWriter.Written write(OutputType outputType, Transformation transformation, long maxBytes,
                                       List<ExecutionRecord> records) throws Exception {
        ResultWriter writer = new ResultWriter(infra.s3(), maxBytes, temp);
        RunConfig.ResultWriterConfig config = new RunConfig.ResultWriterConfig(bucket, "results", outputType, transformation);
        return writer.write(RUN, "L", config, records.iterator());
    }

    private List<String> lines(JsonNode manifest, String category) {
        JsonNode files = manifest.get("ResultFiles").get(category);
        assertEquals(1, files.size(), category + " files");
        String text = infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key(files.get(0).get("Key").asText())).asUtf8String();
        return text.lines().toList();
    }

    private JsonNode json(String key) {
        return Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
    }

    private static ExecutionRecord succeeded(long batch, String output) {
        return stored(new ExecutionRecord(RUN, batch, ExecutionStatus.SUCCEEDED.name(), 1,
                Json.parse("{\"Items\":[" + batch + "]}"), Json.parse(output), null, null, T0, T0, 0, null));
    }

    private static ExecutionRecord failed(long batch) {
        return stored(new ExecutionRecord(RUN, batch, ExecutionStatus.FAILED.name(), 2,
                Json.parse("{\"Items\":[" + batch + "]}"), null, "States.TaskFailed", "boom", T0, T0, 0, null));
    }

    /** As the writer gets it: read back from the executions store (inputs and outputs as text). */
    private static ExecutionRecord stored(ExecutionRecord r) {
        return STORE.deserializer().deserialize("executions", STORE.serializer().serialize("executions", r));
    }

    private static ExecutionRecord notStarted(long batch) {
        return new ExecutionRecord(RUN, batch, ExecutionStatus.NOT_STARTED.name(), 1, Json.parse("{\"Items\":[" + batch + "]}"),
                null, null, null, null, T0, 0, null);
    }
}
