package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.Zstd;
import io.dmap.asl.map.SpecParser;
import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 2025 readers on the real S3 server: PARQUET (getObject and LOAD_AND_FLATTEN), ATHENA_DATA manifests, gz / zstd
 * item files, ItemsPointer, a JSON object iterated member by member, and each item's Source and Key.
 */
@ExtendWith(DmapInfraExtension.class)
class NewReadersTest {

    private static final String BUCKET = "new-readers";
    private static DmapInfra infra;
    private static S3ItemReaders readers;

    @BeforeAll
    static void bucket(DmapInfra shared) {
        infra = shared;
        infra.createBucket(BUCKET);
        readers = new S3ItemReaders(infra.s3());
    }

    // ---- PARQUET ----

    static final MessageType TYPES = MessageTypeParser.parseMessageType("""
            message row {
              required int32 id;
              optional binary name (STRING);
              optional boolean ok;
              optional double score;
              optional int32 day (DATE);
              optional int64 at (TIMESTAMP(MILLIS,true));
              optional int64 local (TIMESTAMP(MICROS,false));
              optional binary price (DECIMAL(9,2));
              optional int64 big (DECIMAL(18,4));
              optional fixed_len_byte_array(16) uid (UUID);
              optional binary raw;
              optional int96 legacy;
              optional group tags (LIST) { repeated group list { optional binary element (STRING); } }
              optional group attrs (MAP) { repeated group key_value { required binary key (STRING); optional int32 value; } }
              optional group address { optional binary city (STRING); optional int32 zip; }
            }""");

    @Test
    void parquetRowsAreTypedJsonObjects() {
        UUID uid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        putBytes("types.parquet", ParquetFiles.write(TYPES, CompressionCodecName.SNAPPY, 1000, f -> {
            Group full = f.newGroup().append("id", 1).append("name", "Zoë").append("ok", true).append("score", 2.5)
                    .append("day", (int) LocalDate.parse("2025-09-18").toEpochDay())
                    .append("at", Instant.parse("2025-09-18T13:45:30.123Z").toEpochMilli())
                    .append("local", 1_700_000_000_000_001L)
                    .append("price", Binary.fromConstantByteArray(new BigDecimal("1234.50").unscaledValue().toByteArray()))
                    .append("big", 123_456_789L)
                    .append("uid", Binary.fromConstantByteArray(uuidBytes(uid)))
                    .append("raw", Binary.fromConstantByteArray(new byte[]{1, 2, 3}))
                    .append("legacy", int96(Instant.parse("2020-01-02T03:04:05.000000006Z")));
            Group tags = full.addGroup("tags");
            tags.addGroup("list").append("element", "a");
            tags.addGroup("list");
            tags.addGroup("list").append("element", "c");
            Group attrs = full.addGroup("attrs");
            attrs.addGroup("key_value").append("key", "k1").append("value", 7);
            attrs.addGroup("key_value").append("key", "k2");
            full.addGroup("address").append("city", "Lyon").append("zip", 69001);
            Group sparse = f.newGroup().append("id", 2).append("score", Double.NaN);
            return List.of(full, sparse);
        }));

        List<JsonNode> items = all(getObject("PARQUET", "types.parquet", "").open());

        // compared as text: a DECIMAL keeps its scale (1234.50), which JSON number equality would not show
        assertEquals("""
                {"id":1,"name":"Zoë","ok":true,"score":2.5,"day":"2025-09-18","at":"2025-09-18T13:45:30.123Z",\
                "local":"2023-11-14T22:13:20.000001","price":1234.50,"big":12345.6789,\
                "uid":"123e4567-e89b-12d3-a456-426614174000","raw":"AQID","legacy":"2020-01-02T03:04:05.000000006Z",\
                "tags":["a",null,"c"],"attrs":{"k1":7,"k2":null},"address":{"city":"Lyon","zip":69001}}""",
                items.get(0).toString());
        assertEquals(Json.parse("""
                {"id": 2, "name": null, "ok": null, "score": "NaN", "day": null, "at": null, "local": null, "price": null,
                 "big": null, "uid": null, "raw": null, "legacy": null, "tags": null, "attrs": null, "address": null}"""),
                items.get(1));
    }

    static final MessageType SMALL = MessageTypeParser.parseMessageType(
            "message row { required int32 n; required binary pad (STRING); }");

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"})
    void parquetWithManyRowGroupsIsReadInOrderAndResumesInsideARowGroup(CompressionCodecName codec) {
        String key = "many-" + codec + ".parquet";
        putBytes(key, numbers(codec, 500));
        ItemReader reader = getObject("PARQUET", key, "");

        assertEquals(IntStream.range(0, 500).boxed().toList(), ns(all(reader.open())));
        JsonNode position;
        try (ItemStream items = reader.open()) {
            for (int i = 0; i < 321; i++) {
                items.next();
            }
            position = items.position();
            assertEquals("S3://new-readers/" + key, items.itemSource());
        }
        assertTrue(position.get("rowGroup").asInt() > 0, "the file has several row groups: " + position);
        assertEquals(IntStream.range(321, 500).boxed().toList(), ns(all(reader.open(position))));
    }

    @Test
    void parquetLoadAndFlattenReadsEveryListedFileAndNamesEachOneAsSource() {
        putBytes("pq/a.parquet", numbers(CompressionCodecName.SNAPPY, 3));
        putBytes("pq/b.parquet", numbers(CompressionCodecName.ZSTD, 2));
        ItemReader reader = readers.readerFor(SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "%s", "Prefix": "pq/"},
                                "ReaderConfig": {"InputType": "PARQUET", "Transformation": "LOAD_AND_FLATTEN"}}, %s}
                """.formatted(BUCKET, ObjectReadersTest.PROCESSOR)));

        List<String> seen = new ArrayList<>();
        try (ItemStream items = reader.open()) {
            while (items.hasNext()) {
                JsonNode item = items.next();
                seen.add(item.get("n").asInt() + "@" + items.itemSource());
            }
        }
        assertEquals(List.of("0@S3://new-readers/pq/a.parquet", "1@S3://new-readers/pq/a.parquet",
                "2@S3://new-readers/pq/a.parquet", "0@S3://new-readers/pq/b.parquet", "1@S3://new-readers/pq/b.parquet"), seen);
    }

    @Test
    void parquetLimitsAndBrokenFilesFailTheRunNamingTheObject() {
        byte[] hugeFooter = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .put("PAR1".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(6 * 1024 * 1024)
                .put("PAR1".getBytes(StandardCharsets.US_ASCII)).array();
        putBytes("huge-footer.parquet", hugeFooter);
        put("not.parquet", "id,name\n1,a\n");

        ItemReaderException footer = assertThrows(ItemReaderException.class,
                () -> all(getObject("PARQUET", "huge-footer.parquet", "").open()));
        ItemReaderException notParquet = assertThrows(ItemReaderException.class,
                () -> all(getObject("PARQUET", "not.parquet", "").open()));
        SpecException versionId = assertThrows(SpecException.class, () -> SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                                "Parameters": {"Bucket": "b", "Key": "k.parquet", "VersionId": "v1"},
                                "ReaderConfig": {"InputType": "PARQUET"}}, %s}""".formatted(ObjectReadersTest.PROCESSOR)));

        assertEquals("s3://new-readers/huge-footer.parquet: the Parquet footer is 6291456 bytes, more than the 5 MB "
                + "(5242880 bytes) allowed", footer.getMessage());
        assertEquals("s3://new-readers/not.parquet: not a Parquet file (it does not end with PAR1)", notParquet.getMessage());
        assertEquals("ItemReader.Parameters.VersionId: is not accepted with InputType PARQUET", versionId.getMessage());
    }

    // ---- ATHENA_DATA and S3_INVENTORY ----

    @Test
    void athenaManifestOfCsvFilesYieldsTheirRowsWithGivenHeadersAndResumes() throws IOException {
        putBytes("athena/csv/1.gz", gzip("1,ann\n2,bob\n"));
        put("athena/csv/2", "3,cy\n");
        put("athena/csv/q1-manifest.csv", "s3://new-readers/athena/csv/1.gz\ns3://new-readers/athena/csv/2\n");
        ItemReader reader = manifest("athena/csv/q1-manifest.csv", "CSV",
                ", \"CSVHeaderLocation\": \"GIVEN\", \"CSVHeaders\": [\"id\", \"name\"]");

        List<String> sources = new ArrayList<>();
        List<JsonNode> items = new ArrayList<>();
        JsonNode afterOne = null;
        try (ItemStream stream = reader.open()) {
            while (stream.hasNext()) {
                items.add(stream.next());
                sources.add(stream.itemSource());
                afterOne = afterOne == null ? stream.position() : afterOne;
            }
        }
        assertEquals(List.of(Json.parse("{\"id\": \"1\", \"name\": \"ann\"}"), Json.parse("{\"id\": \"2\", \"name\": \"bob\"}"),
                Json.parse("{\"id\": \"3\", \"name\": \"cy\"}")), items);
        assertEquals(List.of("S3://new-readers/athena/csv/1.gz", "S3://new-readers/athena/csv/1.gz",
                "S3://new-readers/athena/csv/2"), sources);
        assertEquals(items.subList(1, 3), all(reader.open(afterOne)));
    }

    @Test
    void athenaManifestOfJsonlOrParquetFilesYieldsTheirRows() {
        putBytes("athena/jsonl/a.zstd", Zstd.compress("{\"x\": 1}\n{\"x\": 2}\n".getBytes(StandardCharsets.UTF_8)));
        put("athena/jsonl/m.csv", "s3://new-readers/athena/jsonl/a.zstd\n");
        putBytes("athena/pq/part-0", numbers(CompressionCodecName.GZIP, 2));
        putBytes("athena/pq/part-1", numbers(CompressionCodecName.SNAPPY, 1));
        put("athena/pq/m.csv", "s3://new-readers/athena/pq/part-0\ns3://new-readers/athena/pq/part-1\n");
        put("athena/bad.csv", "s3://new-readers/athena/pq/part-0\nhttps://example.invalid/x\n");

        assertEquals(List.of(Json.parse("{\"x\": 1}"), Json.parse("{\"x\": 2}")),
                all(manifest("athena/jsonl/m.csv", "JSONL", "").open()));
        assertEquals(List.of(0, 1, 0), ns(all(manifest("athena/pq/m.csv", "PARQUET", "").open())));
        ItemReaderException bad = assertThrows(ItemReaderException.class, () -> all(manifest("athena/bad.csv", "PARQUET", "").open()));
        assertEquals("s3://new-readers/athena/bad.csv line 2: 'https://example.invalid/x' is not the S3 URI of a data file "
                + "(s3://bucket/key)", bad.getMessage());
    }

    @Test
    void aManifestsDataFileInABucketDmapMayNotReadFailsTheRun() {
        put("athena/elsewhere.csv", "s3://private-bucket/data/part-0\n");
        put("inv-elsewhere/manifest.json", """
                {"destinationBucket": "arn:aws:s3:::private-bucket", "fileFormat": "CSV", "fileSchema": "Bucket, Key",
                 "files": [{"key": "inv/1.csv.gz"}]}""");
        S3ItemReaders guarded = new S3ItemReaders(infra.s3(), new io.dmap.service.BucketGuard(java.util.Optional.of(List.of(BUCKET))));

        ItemReaderException athena = assertThrows(ItemReaderException.class, () -> all(guarded.readerFor(SpecParser.parse(
                getObjectSpec("athena/elsewhere.csv", "\"ManifestType\": \"ATHENA_DATA\", \"InputType\": \"JSONL\""))).open()));
        ItemReaderException inventory = assertThrows(ItemReaderException.class, () -> all(guarded.readerFor(SpecParser.parse(
                getObjectSpec("inv-elsewhere/manifest.json", "\"ManifestType\": \"S3_INVENTORY\""))).open()));

        for (ItemReaderException e : List.of(athena, inventory)) {
            assertTrue(e.getMessage().startsWith("a data file listed in the manifest on bucket 'private-bucket' refused"),
                    e.getMessage());
        }
    }

    @Test
    void manifestTypesAreCheckedAtPost() {
        SpecException inventoryWithType = assertThrows(SpecException.class, () -> SpecParser.parse(getObjectSpec("m.json",
                "\"ManifestType\": \"S3_INVENTORY\", \"InputType\": \"CSV\"")));
        SpecException athenaJson = assertThrows(SpecException.class, () -> SpecParser.parse(getObjectSpec("m.csv",
                "\"ManifestType\": \"ATHENA_DATA\", \"InputType\": \"JSON\"")));
        SpecException athenaNoType = assertThrows(SpecException.class, () -> SpecParser.parse(getObjectSpec("m.csv",
                "\"ManifestType\": \"ATHENA_DATA\"")));

        assertEquals("ItemReader.ReaderConfig.InputType: must not be set with ManifestType S3_INVENTORY (its data files are CSV)",
                inventoryWithType.getMessage());
        assertEquals("ItemReader.ReaderConfig.InputType: 'JSON' is not one of [CSV, JSONL, PARQUET] (the data files' format "
                + "with ManifestType ATHENA_DATA)", athenaJson.getMessage());
        assertTrue(athenaNoType.getMessage().startsWith("ItemReader.ReaderConfig.InputType: is required with ManifestType ATHENA_DATA"),
                athenaNoType.getMessage());
    }

    // ---- CSV as AWS parses it ----

    @Test
    void awsCsvParsingExampleGivesTheDocumentedFields() {
        // the one-row myCSVInput.csv of AWS's "How Step Functions parses input CSV files" page
        put("myCSVInput.csv", """
                abc,123,"This string contains commas, a double quotation marks (""), and a newline (
                )",{""MyKey"":""MyValue""},"[1,2,3]"
                """);
        List<JsonNode> items = all(getObject("CSV", "myCSVInput.csv", """
                , "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["MyLetters", "MyNumbers", "MyString", "MyObject", "MyArray"]""").open());

        assertEquals(List.of(Json.parse("""
                {"MyLetters": "abc", "MyNumbers": "123",
                 "MyString": "This string contains commas, a double quotation marks (\\"), and a newline (\\n)",
                 "MyObject": "{\\"MyKey\\":\\"MyValue\\"}", "MyArray": "[1,2,3]"}""")), items);
    }

    // ---- compressed item files ----

    @Test
    void gzipAndZstdJsonlCsvAndJsonAreDecompressedAsTheyStreamAndResumeAtADecompressedOffset() throws IOException {
        String jsonl = IntStream.range(0, 2000).mapToObj(i -> "{\"i\": " + i + "}").reduce("", (a, b) -> a + b + "\n");
        putBytes("z/items.jsonl.gz", gzip(jsonl));
        putBytes("z/items.jsonl.zst", Zstd.compress(jsonl.getBytes(StandardCharsets.UTF_8)));
        putBytes("z/rows.csv.zstd", Zstd.compress("a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8)));
        putBytes("z/array.json.gz", gzip("[1, 2, 3]"));

        for (String key : List.of("z/items.jsonl.gz", "z/items.jsonl.zst")) {
            ItemReader reader = getObject("JSONL", key, "");
            assertEquals(IntStream.range(0, 2000).boxed().toList(), all(reader.open()).stream().map(n -> n.get("i").asInt()).toList());
            JsonNode position;
            try (ItemStream items = reader.open()) {
                for (int i = 0; i < 1500; i++) {
                    items.next();
                }
                position = items.position();
            }
            assertEquals(1501, position.get("line").asInt(), "lines of the decompressed text: " + position);
            assertEquals(IntStream.range(1500, 2000).boxed().toList(),
                    all(reader.open(position)).stream().map(n -> n.get("i").asInt()).toList(), key);
        }
        ItemReader csv = getObject("CSV", "z/rows.csv.zstd", ", \"CSVHeaderLocation\": \"FIRST_ROW\"");
        assertEquals(List.of(Json.parse("{\"a\": \"1\", \"b\": \"2\"}"), Json.parse("{\"a\": \"3\", \"b\": \"4\"}")), all(csv.open()));
        JsonNode afterOne;
        try (ItemStream rows = csv.open()) {
            rows.next();
            afterOne = rows.position();
        }
        assertEquals(List.of(Json.parse("{\"a\": \"3\", \"b\": \"4\"}")), all(csv.open(afterOne)));
        assertEquals(List.of(1, 2, 3), all(getObject("JSON", "z/array.json.gz", "").open()).stream().map(JsonNode::asInt).toList());
    }

    @Test
    void aTruncatedGzipOrZstdFileFailsTheRunNamingTheObject() throws IOException {
        String jsonl = IntStream.range(0, 5000).mapToObj(i -> "{\"i\": " + i + "}").reduce("", (a, b) -> a + b + "\n");
        byte[] gz = gzip(jsonl);
        byte[] zst = Zstd.compress(jsonl.getBytes(StandardCharsets.UTF_8));
        putBytes("z/cut.jsonl.gz", Arrays.copyOf(gz, gz.length / 2));
        putBytes("z/cut.jsonl.zst", Arrays.copyOf(zst, zst.length / 2));
        put("z/plain.jsonl.gz", "{\"not\": \"gzip\"}\n");

        for (String key : List.of("z/cut.jsonl.gz", "z/cut.jsonl.zst", "z/plain.jsonl.gz")) {
            ItemReaderException e = assertThrows(ItemReaderException.class, () -> all(getObject("JSONL", key, "").open()), key);
            assertTrue(e.getMessage().startsWith("cannot read s3://new-readers/" + key + ": "), e.getMessage());
            if (key.startsWith("z/cut")) {
                assertTrue(e.getMessage().contains("data is truncated or corrupt"), e.getMessage());
            }
        }
    }

    // ---- ItemsPointer and JSON objects ----

    @Test
    void itemsPointerSelectsANestedArrayOrObjectAndTheRestOfTheFileIsNeverRead() {
        // after the target the file is broken: a reader that parsed it whole would fail
        put("ptr.json", """
                {"meta": {"skip": [1, {"deep": [2]}]},
                 "inventory": {"products": {"featured": [{"sku": "a"}, {"sku": "b"}], "byId": {"x1": {"n": 1}, "x2": 2}},
                               "list": [[0], ["zero", "one"]]},
                 "broken": [""");

        assertEquals(List.of(Json.parse("{\"sku\": \"a\"}"), Json.parse("{\"sku\": \"b\"}")),
                all(getObject("JSON", "ptr.json", ", \"ItemsPointer\": \"/inventory/products/featured\"").open()));
        assertEquals(List.of(Json.parse("\"zero\""), Json.parse("\"one\"")),
                all(getObject("JSON", "ptr.json", ", \"ItemsPointer\": \"/inventory/list/1\"").open()));
        List<String> keyed = new ArrayList<>();
        try (ItemStream items = getObject("JSON", "ptr.json", ", \"ItemsPointer\": \"/inventory/products/byId\"").open()) {
            while (items.hasNext()) {
                JsonNode item = items.next();
                keyed.add(items.itemKey() + "=" + item + "@" + items.itemSource());
            }
        }
        assertEquals(List.of("x1={\"n\":1}@S3://new-readers/ptr.json", "x2=2@S3://new-readers/ptr.json"), keyed);
    }

    @Test
    void itemsPointerThatSelectsNothingOrAScalarFailsTheRunSayingWhere() {
        put("ptr2.json", "{\"a\": {\"b\": [1, 2], \"s\": \"text\"}}");

        ItemReaderException missing = assertThrows(ItemReaderException.class,
                () -> all(getObject("JSON", "ptr2.json", ", \"ItemsPointer\": \"/a/c\"").open()));
        ItemReaderException outOfRange = assertThrows(ItemReaderException.class,
                () -> all(getObject("JSON", "ptr2.json", ", \"ItemsPointer\": \"/a/b/5\"").open()));
        ItemReaderException scalar = assertThrows(ItemReaderException.class,
                () -> all(getObject("JSON", "ptr2.json", ", \"ItemsPointer\": \"/a/s\"").open()));
        SpecException notJson = assertThrows(SpecException.class, () -> SpecParser.parse(getObjectSpec("x.jsonl",
                "\"InputType\": \"JSONL\", \"ItemsPointer\": \"/a\"")));
        SpecException notPointer = assertThrows(SpecException.class, () -> SpecParser.parse(getObjectSpec("x.json",
                "\"InputType\": \"JSON\", \"ItemsPointer\": \"a/b\"")));

        assertEquals("s3://new-readers/ptr2.json: ItemsPointer '/a/c' selects nothing: the value at '/a' has no member 'c'",
                missing.getMessage());
        assertEquals("s3://new-readers/ptr2.json: ItemsPointer '/a/b/5' selects nothing: the value at '/a/b' has no element '5'",
                outOfRange.getMessage());
        assertEquals("s3://new-readers/ptr2.json line 1 (ItemsPointer '/a/s'): Attempting to map over non-iterable node.",
                scalar.getMessage());
        assertEquals("ItemReader.ReaderConfig.ItemsPointer: only applies to InputType JSON", notJson.getMessage());
        assertTrue(notPointer.getMessage().startsWith("ItemReader.ReaderConfig.ItemsPointer: 'a/b' is not a JSON Pointer"),
                notPointer.getMessage());
    }

    @Test
    void aJsonObjectFileIsIteratedMemberByMemberWithTheKeyOfEachAndResumes() {
        put("obj.json", "{\"alpha\": {\"n\": 1}, \"beta\": [2], \"gamma\": null, \"delta\": \"d\"}");
        ItemReader reader = getObject("JSON", "obj.json", "");

        List<String> seen = new ArrayList<>();
        JsonNode afterTwo = null;
        try (ItemStream items = reader.open()) {
            while (items.hasNext()) {
                JsonNode item = items.next();
                seen.add(items.itemKey() + "=" + item);
                if (seen.size() == 2) {
                    afterTwo = items.position();
                }
            }
        }
        assertEquals(List.of("alpha={\"n\":1}", "beta=[2]", "gamma=null", "delta=\"d\""), seen);
        try (ItemStream resumed = reader.open(afterTwo)) {
            assertEquals(Json.parse("null"), resumed.next());
            assertEquals("gamma", resumed.itemKey());
            assertEquals(Json.parse("\"d\""), resumed.next());
            assertEquals("delta", resumed.itemKey());
        }
    }

    // ---- Source of every reader ----

    @Test
    void everyReaderNamesTheSourceOfItsItemsAsAwsDoesAndOnlyObjectMembersHaveAKey() {
        put("src/a.jsonl", "1\n");
        put("src/b.csv", "h\nv\n");
        ItemReader listing = readers.readerFor(SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "%s", "Prefix": "src/"}}, %s}
                """.formatted(BUCKET, ObjectReadersTest.PROCESSOR)));
        ItemReader input = readers.readerFor(SpecParser.parse("""
                {"Input": {"xs": [1]}, "ItemsPath": "$.xs", %s}""".formatted(ObjectReadersTest.PROCESSOR)));

        try (ItemStream items = listing.open()) {
            items.next();
            assertEquals("S3://new-readers", items.itemSource());
            assertNull(items.itemKey());
        }
        try (ItemStream items = getObject("JSONL", "src/a.jsonl", "").open()) {
            items.next();
            assertEquals("S3://new-readers/src/a.jsonl", items.itemSource());
            assertNull(items.itemKey());
        }
        try (ItemStream items = getObject("CSV", "src/b.csv", "").open()) {
            items.next();
            assertEquals("S3://new-readers/src/b.csv", items.itemSource());
        }
        try (ItemStream items = input.open()) {
            items.next();
            assertEquals("STATE_DATA", items.itemSource());
        }
    }

    // ---- helpers ----

    private static ItemReader getObject(String inputType, String key, String config) {
        return readers.readerFor(SpecParser.parse(getObjectSpec(key, "\"InputType\": \"" + inputType + "\"" + config)));
    }

    private static ItemReader manifest(String key, String inputType, String config) {
        return readers.readerFor(SpecParser.parse(getObjectSpec(key,
                "\"ManifestType\": \"ATHENA_DATA\", \"InputType\": \"" + inputType + "\"" + config)));
    }

    private static String getObjectSpec(String key, String readerConfig) {
        return """
                {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "%s", "Key": "%s"},
                                "ReaderConfig": {%s}}, %s}
                """.formatted(BUCKET, key, readerConfig, ObjectReadersTest.PROCESSOR);
    }

    /** n rows {"n": i, "pad": ...} in row groups of 100 rows. */
    private static byte[] numbers(CompressionCodecName codec, int n) {
        return ParquetFiles.write(SMALL, codec, 100, f -> IntStream.range(0, n)
                .mapToObj(i -> (Group) f.newGroup().append("n", i).append("pad", "row " + i + " " + "x".repeat(40 + i % 7)))
                .toList());
    }

    private static List<Integer> ns(List<JsonNode> items) {
        return items.stream().map(item -> item.get("n").asInt()).toList();
    }

    private static byte[] uuidBytes(UUID uuid) {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
    }

    private static Binary int96(Instant t) {
        long day = Math.floorDiv(t.getEpochSecond(), 86_400) + 2_440_588;
        long nanos = Math.floorMod(t.getEpochSecond(), 86_400) * 1_000_000_000L + t.getNano();
        return Binary.fromConstantByteArray(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(nanos).putInt((int) day).array());
    }

    private static List<JsonNode> all(ItemStream stream) {
        List<JsonNode> out = new ArrayList<>();
        try (stream) {
            while (stream.hasNext()) {
                out.add(stream.next());
            }
        }
        return out;
    }

    private static void put(String key, String text) {
        putBytes(key, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void putBytes(String key, byte[] bytes) {
        infra.s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
