package io.dmap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.Zstd;
import io.dmap.cli.PlannerApi;
import io.dmap.common.json.Json;
import io.dmap.testsupport.DmapInfra;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The 2025 readers through the three services as real processes (the packaged planner, which has no Hadoop on
 * its classpath): a Parquet file read with getObject, a gzipped JSONL file, Parquet files flattened from a
 * listing or listed by an Athena manifest, and a JSON object at an ItemsPointer in a zstd file, with the context
 * object's Key and Source of each item. Each run's result files hold every item exactly once, as the child saw it.
 */
class ReadersEndToEndIT {

    static final String IN = "e2e-readers-in";
    static final String OUT = "e2e-readers-out";
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
            "message row { required int32 n; optional binary name (STRING); optional int32 day (DATE); }");

    static DmapInfra infra;
    static ServicesUnderTest services;
    static PlannerApi api;

    @BeforeAll
    static void startEverything() throws Exception {
        infra = DmapInfra.shared();
        infra.createBucket(IN);
        infra.createBucket(OUT);
        put("rows.parquet", parquet(0, 700));
        put("flat/a.parquet", parquet(0, 40));
        put("flat/b.parquet", parquet(40, 60));
        put("catalog.json.zst", Zstd.compress(("{\"meta\": {\"v\": 1}, \"catalog\": {\"byRegion\": "
                + "{\"eu\": {\"n\": 1}, \"us\": {\"n\": 2}, \"ap\": {\"n\": 3}}}}").getBytes(StandardCharsets.UTF_8)));
        put("athena/q-manifest.csv", ("s3://" + IN + "/flat/a.parquet\ns3://" + IN + "/flat/b.parquet\n").getBytes(StandardCharsets.UTF_8));
        put("items.jsonl.gz", gzip(IntStream.range(0, 900).mapToObj(i -> "{\"n\": " + i + "}\n").reduce("", String::concat)));
        services = new ServicesUnderTest(infra, "e2erd" + System.nanoTime() % 100000, 4).startAll(1);
        api = new PlannerApi(services.plannerUrl());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void aParquetFileIsReadRowByRowWithTypedValues() throws Exception {
        List<JsonNode> items = runAndCollect(getObject("rows.parquet", "PARQUET"), "parquet", 700);
        assertEquals(IntStream.range(0, 700).boxed().toList(), items.stream().map(i -> i.path("n").asInt()).sorted().toList());
        JsonNode first = items.stream().filter(i -> i.path("n").asInt() == 3).findFirst().orElseThrow();
        assertEquals(Json.parse("{\"n\": 3, \"name\": \"row 3\", \"day\": \"1970-01-04\"}"), first);
    }

    @Test
    void aGzippedJsonlFileIsDecompressedAsItIsRead() throws Exception {
        List<JsonNode> items = runAndCollect(getObject("items.jsonl.gz", "JSONL"), "jsonl-gz", 900);
        assertEquals(IntStream.range(0, 900).boxed().toList(), items.stream().map(i -> i.path("n").asInt()).sorted().toList());
    }

    @Test
    void parquetFilesUnderAPrefixAreFlattenedAndEachItemNamesItsFileAsSource() throws Exception {
        String reader = """
                {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "%s", "Prefix": "flat/"},
                 "ReaderConfig": {"InputType": "PARQUET", "Transformation": "LOAD_AND_FLATTEN"}}""".formatted(IN);
        List<JsonNode> items = runAndCollect(reader, """
                {"value.$": "$$.Map.Item.Value", "source.$": "$$.Map.Item.Source"}""", "flatten", 100);
        assertEquals(IntStream.range(0, 100).boxed().toList(),
                items.stream().map(i -> i.path("value").path("n").asInt()).sorted().toList());
        for (JsonNode item : items) {
            String file = item.path("value").path("n").asInt() < 40 ? "a" : "b";
            assertEquals("S3://" + IN + "/flat/" + file + ".parquet", item.path("source").asText(), item::toString);
        }
    }

    @Test
    void anAthenaManifestOfParquetFilesYieldsTheirRows() throws Exception {
        String reader = """
                {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "%s", "Key": "athena/q-manifest.csv"},
                 "ReaderConfig": {"ManifestType": "ATHENA_DATA", "InputType": "PARQUET"}}""".formatted(IN);
        List<JsonNode> items = runAndCollect(reader, null, "athena", 100);
        assertEquals(IntStream.range(0, 100).boxed().toList(), items.stream().map(i -> i.path("n").asInt()).sorted().toList());
    }

    @Test
    void aJsonObjectAtAnItemsPointerInAZstdFileIsIteratedWithItsKeys() throws Exception {
        String reader = """
                {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "%s", "Key": "catalog.json.zst"},
                 "ReaderConfig": {"InputType": "JSON", "ItemsPointer": "/catalog/byRegion"}}""".formatted(IN);
        List<JsonNode> items = runAndCollect(reader, SELECT_CONTEXT, "pointer", 3);
        assertEquals(List.of(
                Json.parse("{\"key\": \"ap\", \"value\": {\"n\": 3}, \"source\": \"S3://" + IN + "/catalog.json.zst\"}"),
                Json.parse("{\"key\": \"eu\", \"value\": {\"n\": 1}, \"source\": \"S3://" + IN + "/catalog.json.zst\"}"),
                Json.parse("{\"key\": \"us\", \"value\": {\"n\": 2}, \"source\": \"S3://" + IN + "/catalog.json.zst\"}")),
                items.stream().sorted(java.util.Comparator.comparing(i -> i.path("key").asText())).toList());
    }

    /** An ItemSelector that hands the child the context object's view of each member of an object. */
    static final String SELECT_CONTEXT = """
            {"key.$": "$$.Map.Item.Key", "value.$": "$$.Map.Item.Value", "source.$": "$$.Map.Item.Source"}""";

    static String getObject(String key, String inputType) {
        return """
                {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "%s", "Key": "%s"},
                 "ReaderConfig": {"InputType": "%s"}}""".formatted(IN, key, inputType);
    }

    /** Runs a Map of batches of 50 whose child passes its batch through; returns the items the children got. */
    static List<JsonNode> runAndCollect(String itemReader, String prefix, int expected) throws Exception {
        return runAndCollect(itemReader, null, prefix, expected);
    }

    static List<JsonNode> runAndCollect(String itemReader, String itemSelector, String prefix, int expected) throws Exception {
        String spec = """
                {"Type": "Map", "ItemReader": %s,%s
                 "ItemBatcher": {"MaxItemsPerBatch": 50},
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                                   "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}},
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "%s", "Prefix": "%s"}}}
                """.formatted(itemReader, itemSelector == null ? "" : " \"ItemSelector\": " + itemSelector + ",", OUT, prefix);
        PlannerApi.Answer created = api.post("/map-runs", spec);
        assertEquals(201, created.status(), () -> "POST /map-runs answered " + created.body());
        String id = created.body().path("mapRunId").asText();
        assertFalse(id.isEmpty());
        JsonNode run;
        try {
            run = api.awaitTerminal(id, Duration.ofMinutes(3), status -> { });
        } catch (IOException e) {
            throw new AssertionError(e.getMessage() + services.logs(), e);
        }
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        assertEquals(expected, run.path("itemCounts").path("succeeded").asLong(), run::toString);
        String manifestKey = run.path("resultWriterDetails").path("key").asText();
        JsonNode manifest = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(OUT).key(manifestKey)).asUtf8String());
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode file : manifest.path("ResultFiles").path("SUCCEEDED")) {
            JsonNode records = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(OUT).key(file.path("Key").asText())).asUtf8String());
            for (JsonNode record : records) {
                Json.parse(record.path("Output").asText()).path("Items").forEach(items::add);
            }
        }
        assertEquals(expected, items.size(), "items in the result files");
        return items;
    }

    static void put(String key, byte[] bytes) {
        infra.s3().putObject(b -> b.bucket(IN).key(key), RequestBody.fromBytes(bytes));
    }

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** Rows n = from .. from+count-1, in row groups of 100, uncompressed, written by Parquet's example writer. */
    static byte[] parquet(int from, int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputFile file = new OutputFile() {
            @Override
            public PositionOutputStream create(long blockSizeHint) {
                return new PositionOutputStream() {
                    @Override
                    public long getPos() {
                        return bytes.size();
                    }

                    @Override
                    public void write(int b) {
                        bytes.write(b);
                    }
                };
            }

            @Override
            public PositionOutputStream createOrOverwrite(long blockSizeHint) {
                return create(blockSizeHint);
            }

            @Override
            public boolean supportsBlockSize() {
                return false;
            }

            @Override
            public long defaultBlockSize() {
                return 0;
            }
        };
        // Parquet's default codec factory needs Hadoop; uncompressed pages need no codec at all
        CompressionCodecFactory none = new CompressionCodecFactory() {
            @Override
            public BytesInputCompressor getCompressor(CompressionCodecName codec) {
                return new BytesInputCompressor() {
                    @Override
                    public BytesInput compress(BytesInput in) {
                        return in;
                    }

                    @Override
                    public CompressionCodecName getCodecName() {
                        return CompressionCodecName.UNCOMPRESSED;
                    }

                    @Override
                    public void release() {
                    }
                };
            }

            @Override
            public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void release() {
            }
        };
        SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(file).withConf(new PlainParquetConfiguration())
                .withType(SCHEMA).withCodecFactory(none).withRowGroupRowCountLimit(100).build()) {
            for (int n = from; n < from + count; n++) {
                writer.write(rows.newGroup().append("n", n).append("name", "row " + n).append("day", n));
            }
        }
        return bytes.toByteArray();
    }
}
