package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.asl.map.MapRunSpec;
import io.dmap.asl.map.SpecParser;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import io.dmap.planner.planning.MalformedItemException;
import io.dmap.planner.planning.RawItem;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every getObject InputType and LOAD_AND_FLATTEN against the real S3 server: items, positions, errors. */
@ExtendWith(DmapInfraExtension.class)
class ObjectReadersTest {

    private static final String BUCKET = "object-readers";
    private static DmapInfra infra;
    private static S3ItemReaders readers;

    @BeforeAll
    static void bucket(DmapInfra shared) {
        infra = shared;
        infra.createBucket(BUCKET);
        readers = new S3ItemReaders(infra.s3());
    }

    // ---- JSON ----

    @Test
    void jsonArrayElementsAreItemsAndResumeByIndex() {
        put("a.json", "[{\"n\": 1}, 2, \"three\", [4], {\"n\": {\"deep\": [5]}}]");
        ItemReader reader = reader("JSON", "a.json", "");

        assertEquals(List.of(Json.parse("{\"n\": 1}"), Json.parse("2"), Json.parse("\"three\""), Json.parse("[4]"),
                Json.parse("{\"n\": {\"deep\": [5]}}")), all(reader.open()));
        assertEquals(List.of(Json.parse("[4]"), Json.parse("{\"n\": {\"deep\": [5]}}")), all(resumedAfter(reader, 3)));
    }

    @Test
    void jsonThatIsAScalarOrBrokenFailsTheRunNamingObjectAndLine() {
        put("scalar.json", "\n  \"just text\"");
        put("broken.json", "[1,\n 2,\n {\"a\": }]");
        put("unclosed.json", "[1, 2");

        ItemReaderException scalar = assertThrows(ItemReaderException.class, () -> all(reader("JSON", "scalar.json", "").open()));
        ItemReaderException broken = assertThrows(ItemReaderException.class, () -> all(reader("JSON", "broken.json", "").open()));
        ItemReaderException unclosed = assertThrows(ItemReaderException.class, () -> all(reader("JSON", "unclosed.json", "").open()));

        assertEquals("s3://object-readers/scalar.json line 2: Attempting to map over non-iterable node.", scalar.getMessage());
        assertTrue(broken.getMessage().startsWith("s3://object-readers/broken.json line 3"), broken.getMessage());
        assertTrue(unclosed.getMessage().contains("s3://object-readers/unclosed.json"), unclosed.getMessage());
    }

    // ---- JSONL ----

    @Test
    void jsonlLinesAreItemsWithBomCrlfAndBlankLinesAndABadLineFailsOnlyItself() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        putBytes("a.jsonl", concat(bom, "{\"a\": \"ü\"}\r\n\r\n[1, 2]\n{oops\n\"last\"".getBytes(StandardCharsets.UTF_8)));
        ItemReader reader = reader("JSONL", "a.jsonl", "");

        List<Object> items = allWithErrors(reader.open());

        assertEquals(Json.parse("{\"a\": \"ü\"}"), items.get(0));
        assertEquals(Json.parse("[1, 2]"), items.get(1));
        MalformedItemException bad = (MalformedItemException) items.get(2);
        assertEquals(4, bad.line());
        assertEquals("{oops", bad.raw());
        assertTrue(bad.getMessage().startsWith("s3://object-readers/a.jsonl line 4: not valid JSON"), bad.getMessage());
        assertEquals("{\"line\":4,\"source\":\"s3://object-readers/a.jsonl\",\"raw\":\"{oops\"}", bad.item().toString());
        assertEquals(Json.parse("\"last\""), items.get(3));
        assertEquals(4, items.size());
    }

    @Test
    void jsonlVerbatimItemsAreTheLinesOwnTextAndEveryOtherLineIsReadAsWithATree() {
        put("v.jsonl", "{\"a\": \"ü\", \"n\": 1e2}\n  [1, 2]  \r\n{oops\n7 8\n\"last\"\n");
        ItemReader reader = reader("JSONL", "v.jsonl", "");

        List<Object> trees = allWithErrors(reader.open());
        List<Object> verbatim = new ArrayList<>();
        try (ItemStream stream = reader.open()) {
            while (stream.hasNext()) {
                try {
                    verbatim.add(stream.nextVerbatim());
                } catch (MalformedItemException e) {
                    verbatim.add(e);
                }
            }
        }

        assertEquals(5, verbatim.size());
        assertEquals("{\"a\": \"ü\", \"n\": 1e2}", Json.toString(verbatim.get(0)), "the line's text, not a tree's");
        assertArrayEquals("{\"a\": \"ü\", \"n\": 1e2}".getBytes(StandardCharsets.UTF_8), Json.toBytes(verbatim.get(0)),
                "the line's bytes, though the reader has read the next lines into its buffer since");
        assertEquals("  [1, 2]  ", Json.toString(verbatim.get(1)));
        for (int i : new int[] {0, 1}) {
            assertInstanceOf(RawItem.class, verbatim.get(i));
            assertEquals(trees.get(i), Json.parse(Json.toString(verbatim.get(i))), "the same JSON as the tree");
        }
        assertEquals(((MalformedItemException) trees.get(2)).getMessage(),
                ((MalformedItemException) verbatim.get(2)).getMessage(), "a bad line fails with the same cause");
        assertEquals(Json.parse("7"), verbatim.get(3), "a value followed by more is read as before: its first value");
        assertEquals(trees.get(4), Json.parse(Json.toString(verbatim.get(4))));
    }

    @Test
    void jsonlResumesAtTheByteOffsetOfTheNextLine() {
        put("r.jsonl", "{\"i\": 0}\n{\"i\": 1}\n{\"i\": \"é2\"}\n{\"i\": 3}\n");
        ItemReader reader = reader("JSONL", "r.jsonl", "");
        JsonNode position;
        try (ItemStream items = reader.open()) {
            items.next();
            items.next();
            position = items.position();
        }

        assertEquals("{\"offset\":18,\"line\":3}", position.toString());
        assertEquals(List.of(Json.parse("{\"i\": \"é2\"}"), Json.parse("{\"i\": 3}")), all(reader.open(position)));
        JsonNode end = Json.parse("{\"offset\": " + "{\"i\": 0}\n{\"i\": 1}\n{\"i\": \"é2\"}\n{\"i\": 3}\n"
                .getBytes(StandardCharsets.UTF_8).length + ", \"line\": 5}");
        assertEquals(List.of(), all(reader.open(end)), "resumed at the very end: nothing left");
    }

    // ---- CSV ----

    @ParameterizedTest
    @EnumSource(MapRunSpec.CsvDelimiter.class)
    void csvRowsAreObjectsOfHeaderToStringForEveryDelimiter(MapRunSpec.CsvDelimiter delimiter) {
        char d = delimiter.character;
        String text = "\uFEFFid" + d + "name" + d + "note\r\n"
                + "1" + d + "\"Smith" + d + " \"\"J\"\"\"" + d + "\"two\nlines\"\r\n"
                + "2" + d + "plain" + d + "\r\n"
                + "\r\n"
                + "3" + d + "\"\"" + d + "x";
        put("d-" + delimiter + ".csv", text);

        List<JsonNode> items = all(reader("CSV", "d-" + delimiter + ".csv",
                ", \"CSVHeaderLocation\": \"FIRST_ROW\", \"CSVDelimiter\": \"" + delimiter + "\"").open());

        assertEquals(List.of(
                Json.parse("{\"id\": \"1\", \"name\": \"Smith" + (d == '\t' ? "\\t" : String.valueOf(d)) + " \\\"J\\\"\", \"note\": \"two\\nlines\"}"),
                Json.parse("{\"id\": \"2\", \"name\": \"plain\", \"note\": \"\"}"),
                Json.parse("{\"id\": \"3\", \"name\": \"\", \"note\": \"x\"}")), items);
    }

    @Test
    void csvWithGivenHeadersFillsAShortRowWithEmptyStringsAndDropsTheFieldsOfALongOne() {
        put("given.csv", "a,b\n\"multi\nline\",c\nonly-one\nx,y,z\nlast,row\n");
        ItemReader reader = reader("CSV", "given.csv", ", \"CSVHeaderLocation\": \"GIVEN\", \"CSVHeaders\": [\"h1\", \"h2\"]");

        assertEquals(List.of(
                Json.parse("{\"h1\": \"a\", \"h2\": \"b\"}"),
                Json.parse("{\"h1\": \"multi\\nline\", \"h2\": \"c\"}"),
                Json.parse("{\"h1\": \"only-one\", \"h2\": \"\"}"),
                Json.parse("{\"h1\": \"x\", \"h2\": \"y\"}"),
                Json.parse("{\"h1\": \"last\", \"h2\": \"row\"}")), allWithErrors(reader.open()));
    }

    @Test
    void csvBackslashEscapesABackslashAQuoteOrTheDelimiterAndIsDroppedBeforeAnythingElse() {
        // AWS's example: C:\\Program Files\\MyApp.exe is C:\Program Files\MyApp.exe
        put("escapes.csv", "path|note|q\n"
                + "C:\\\\Program Files\\\\MyApp.exe|a\\|b \\x\\y|\\\"quoted\\\"\n"
                + "\"in \\\" quotes\\|\"|\\\\|end\\\n");
        List<JsonNode> items = all(reader("CSV", "escapes.csv", ", \"CSVHeaderLocation\": \"FIRST_ROW\", \"CSVDelimiter\": \"PIPE\"").open());

        assertEquals(List.of(
                Json.parse("{\"path\": \"C:\\\\Program Files\\\\MyApp.exe\", \"note\": \"a|b xy\", \"q\": \"\\\"quoted\\\"\"}"),
                Json.parse("{\"path\": \"in \\\" quotes|\", \"note\": \"\\\\\", \"q\": \"end\"}")), items);
    }

    @Test
    void csvResumesAtARowOffsetReadingTheHeaderAgain() {
        put("resume.csv", "k,v\n1,\"a\nb\"\n2,c\n3,d\n");
        ItemReader reader = reader("CSV", "resume.csv", ", \"CSVHeaderLocation\": \"FIRST_ROW\"");
        JsonNode position;
        try (ItemStream items = reader.open()) {
            items.next();
            position = items.position();
        }

        assertEquals("{\"offset\":12,\"line\":4}", position.toString());
        assertEquals(List.of(Json.parse("{\"k\": \"2\", \"v\": \"c\"}"), Json.parse("{\"k\": \"3\", \"v\": \"d\"}")),
                all(reader.open(position)));
    }

    @Test
    void csvHeaderErrorsFailTheRunNamingTheObject() {
        put("dup.csv", "a,b,a\n1,2,3\n");
        put("long.csv", "h".repeat(10 * 1024 + 1) + ",x\n1,2\n");
        put("unclosed.csv", "a,b\n1,\"never closed\n");

        ItemReaderException dup = assertThrows(ItemReaderException.class,
                () -> all(reader("CSV", "dup.csv", ", \"CSVHeaderLocation\": \"FIRST_ROW\"").open()));
        ItemReaderException big = assertThrows(ItemReaderException.class,
                () -> all(reader("CSV", "long.csv", ", \"CSVHeaderLocation\": \"FIRST_ROW\"").open()));
        ItemReaderException unclosed = assertThrows(ItemReaderException.class,
                () -> all(reader("CSV", "unclosed.csv", ", \"CSVHeaderLocation\": \"FIRST_ROW\"").open()));

        ItemReaderException givenTooLong = assertThrows(ItemReaderException.class, () -> new CsvObjectReader(
                new S3Objects(infra.s3()), BUCKET, "dup.csv", null, new MapRunSpec.ReaderConfig(MapRunSpec.InputType.CSV, true,
                List.of("a".repeat(6000), "b".repeat(5000)), MapRunSpec.CsvDelimiter.COMMA, null, false)).open());

        assertEquals("s3://object-readers/dup.csv CSVHeaders: the CSV header row is 11001 bytes, more than the 10 KiB "
                + "(10240 bytes) allowed", givenTooLong.getMessage());
        assertEquals("s3://object-readers/dup.csv line 1: CSV headers cannot contain duplicates. ('a' is there twice)",
                dup.getMessage());
        assertTrue(big.getMessage().startsWith("s3://object-readers/long.csv line 1: the CSV header row is 10243 bytes"),
                big.getMessage());
        assertEquals("s3://object-readers/unclosed.csv line 2: a quoted CSV field is not closed before the end of the file",
                unclosed.getMessage());
    }

    // ---- MANIFEST ----

    @Test
    void anInventoryManifestYieldsTheRowsOfItsGzippedCsvFilesAndResumes() throws IOException {
        putBytes("inv/data/1.csv.gz", gzip("\"src\",\"a.txt\",\"10\"\n\"src\",\"b/c.txt\",\"20\"\n"));
        putBytes("inv/data/2.csv.gz", gzip("\"src\",\"d,e.txt\",\"30\"\n\"src\",\"short\"\n"));
        put("inv/manifest.json", """
                {"sourceBucket": "src", "destinationBucket": "arn:aws:s3:::object-readers", "version": "2016-11-30",
                 "fileFormat": "CSV", "fileSchema": "Bucket, Key, Size",
                 "files": [{"key": "inv/data/1.csv.gz", "size": 1, "MD5checksum": "x"},
                           {"key": "inv/data/2.csv.gz", "size": 1, "MD5checksum": "y"}]}""");
        ItemReader reader = reader("MANIFEST", "inv/manifest.json", "");

        List<JsonNode> items = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        JsonNode afterFirst = null;
        try (ItemStream stream = reader.open()) {
            while (stream.hasNext()) {
                items.add(stream.next());
                sources.add(stream.itemSource());
                afterFirst = afterFirst == null ? stream.position() : afterFirst;
            }
        }

        assertEquals(List.of(Json.parse("{\"Bucket\": \"src\", \"Key\": \"a.txt\", \"Size\": \"10\"}"),
                Json.parse("{\"Bucket\": \"src\", \"Key\": \"b/c.txt\", \"Size\": \"20\"}"),
                Json.parse("{\"Bucket\": \"src\", \"Key\": \"d,e.txt\", \"Size\": \"30\"}"),
                Json.parse("{\"Bucket\": \"src\", \"Key\": \"short\", \"Size\": \"\"}")), items);
        assertEquals(List.of("S3://object-readers/inv/data/1.csv.gz", "S3://object-readers/inv/data/1.csv.gz",
                "S3://object-readers/inv/data/2.csv.gz", "S3://object-readers/inv/data/2.csv.gz"), sources);
        assertEquals(items.subList(1, 4), all(reader.open(afterFirst)), "resumed inside the gzipped first file");
        ItemReader inventory = readers.readerFor(SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "%s", "Key": "inv/manifest.json"},
                                "ReaderConfig": {"ManifestType": "S3_INVENTORY"}}, %s}
                """.formatted(BUCKET, PROCESSOR)));
        assertEquals(items, all(inventory.open()), "ManifestType S3_INVENTORY is InputType MANIFEST");
    }

    @Test
    void aManifestThatIsNotCsvFailsTheRun() {
        put("inv2/manifest.json", "{\"fileFormat\": \"ORC\", \"fileSchema\": \"x\", \"files\": []}");
        ItemReaderException e = assertThrows(ItemReaderException.class, () -> reader("MANIFEST", "inv2/manifest.json", "").open());
        assertEquals("s3://object-readers/inv2/manifest.json: fileFormat 'ORC' is not supported (only CSV)", e.getMessage());
    }

    // ---- LOAD_AND_FLATTEN ----

    @Test
    void loadAndFlattenReadsEveryListedObjectInOrderAndResumesInsideOne() {
        put("flat/a.jsonl", "1\n2\n");
        put("flat/b.jsonl", "3\n4\n5\n");
        put("flat/c/", "");
        put("flat/c/d.jsonl", "6\n");
        ItemReader reader = readers.readerFor(SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                                "Parameters": {"Bucket": "%s", "Prefix": "flat/"},
                                "ReaderConfig": {"InputType": "JSONL", "Transformation": "LOAD_AND_FLATTEN"}}, %s}
                """.formatted(BUCKET, PROCESSOR)));

        assertEquals(List.of(1, 2, 3, 4, 5, 6), all(reader.open()).stream().map(JsonNode::asInt).toList());
        JsonNode position;
        try (ItemStream items = reader.open()) {
            for (int i = 0; i < 3; i++) {
                items.next();
            }
            position = items.position();
        }
        assertEquals("flat/b.jsonl", position.get("key").asText());
        assertEquals(List.of(4, 5, 6), all(reader.open(position)).stream().map(JsonNode::asInt).toList());
    }

    // ---- errors of S3 ----

    @Test
    void aMissingObjectOrBucketOrDeniedAccessFailsTheRunNamingTheObject() {
        ItemReaderException noKey = assertThrows(ItemReaderException.class, () -> all(reader("JSONL", "missing.jsonl", "").open()));
        ItemReaderException noBucket = assertThrows(ItemReaderException.class, () -> all(new JsonlObjectReader(
                new S3Objects(infra.s3()), "no-such-bucket-objects", "k.jsonl", null).open()));
        put("secret.csv", "a\n1\n");
        try (S3Client intruder = S3Client.builder().endpointOverride(infra.s3Endpoint()).region(Region.of(infra.region()))
                .forcePathStyle(true).httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(infra.accessKey(), "wrong")))
                .build()) {
            ItemReaderException denied = assertThrows(ItemReaderException.class, () -> all(new CsvObjectReader(
                    new S3Objects(intruder), BUCKET, "secret.csv", null, MapRunSpec.ReaderConfig.DEFAULT).open()));
            assertTrue(denied.getMessage().startsWith("cannot read s3://object-readers/secret.csv: "), denied.getMessage());
            assertTrue(denied.getMessage().contains("HTTP 403"), denied.getMessage());
        }

        assertTrue(noKey.getMessage().startsWith("cannot read s3://object-readers/missing.jsonl: NoSuchKey"), noKey.getMessage());
        assertTrue(noBucket.getMessage().startsWith("cannot read s3://no-such-bucket-objects/k.jsonl: NoSuchBucket"),
                noBucket.getMessage());
    }

    // ---- helpers ----

    static final String PROCESSOR = """
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""";

    private static ItemReader reader(String inputType, String key, String config) {
        return readers.readerFor(SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "%s", "Key": "%s"},
                                "ReaderConfig": {"InputType": "%s"%s}}, %s}
                """.formatted(BUCKET, key, inputType, config, PROCESSOR)));
    }

    private static ItemStream resumedAfter(ItemReader reader, int n) {
        JsonNode position;
        try (ItemStream items = reader.open()) {
            for (int i = 0; i < n; i++) {
                items.next();
            }
            position = items.position();
        }
        return reader.open(position);
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

    /** Items, and the MalformedItemException of each item that could not be parsed, in order. */
    private static List<Object> allWithErrors(ItemStream stream) {
        List<Object> out = new ArrayList<>();
        try (stream) {
            while (stream.hasNext()) {
                try {
                    out.add(stream.next());
                } catch (MalformedItemException e) {
                    out.add(e);
                }
            }
        }
        assertFalse(stream.hasNext());
        return out;
    }

    private static void put(String key, String text) {
        putBytes(key, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void putBytes(String key, byte[] bytes) {
        infra.s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
