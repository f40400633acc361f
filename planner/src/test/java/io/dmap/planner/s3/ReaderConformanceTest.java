package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import io.dmap.asl.map.SpecParser;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader conformance cases: every folder under {@code src/test/resources/reader-conformance} is one AWS
 * documentation example of an ItemReader, its objects put on the real S3 server and read by dmap's readers; the
 * items (and their Source and Key) or the run's error must be what AWS documents. The format is in that folder's
 * README.md.
 */
@ExtendWith(DmapInfraExtension.class)
class ReaderConformanceTest {

    static final String AWS_BUCKET = "amzn-s3-demo-bucket";
    private static DmapInfra infra;
    private static S3ItemReaders readers;

    @BeforeAll
    static void infra(DmapInfra shared) {
        infra = shared;
        readers = new S3ItemReaders(infra.s3());
    }

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    static Path root() throws URISyntaxException {
        return Path.of(ReaderConformanceTest.class.getResource("/reader-conformance").toURI());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsWhatAwsDocuments(String name) throws Exception {
        Path dir = root().resolve(name);
        String provenance = Files.readString(dir.resolve("provenance.md"));
        assertTrue(provenance.contains("https://") && provenance.contains("AWS-REFERENCE"),
                name + ": provenance.md must name the AWS page and the AWS-REFERENCE.md row");
        String bucket = "conf-" + name;
        infra.createBucket(bucket);
        putObjects(dir.resolve("objects"), bucket);
        ObjectNode definition = (ObjectNode) Json.parse(text(dir.resolve("definition.json"), bucket));
        if (!definition.has("ItemProcessor")) {
            definition.set("ItemProcessor", Json.parse("""
                    {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"""));
        }
        JsonNode expected = Json.parse(text(dir.resolve("expected.json"), bucket));
        var reader = readers.readerFor(SpecParser.parse(definition));

        if (expected.has("error")) {
            assertEquals("States.ItemReaderFailed", expected.get("error").asText(), name + ": the only error a reader raises");
            ItemReaderException e = assertThrows(ItemReaderException.class, () -> read(reader.open()), name);
            assertTrue(e.getMessage().contains(expected.get("causeContains").asText()), name + ": " + e.getMessage());
            return;
        }
        Read read = read(reader.open());
        assertEquals(expected.get("items"), Json.NODES.arrayNode().addAll(read.items), name);
        if (expected.has("sources")) {
            assertEquals(expected.get("sources"), Json.MAPPER.valueToTree(read.sources), name + " sources");
        }
        if (expected.has("keys")) {
            assertEquals(expected.get("keys"), Json.MAPPER.valueToTree(read.keys), name + " keys");
        }
    }

    record Read(List<JsonNode> items, List<String> sources, List<String> keys) {
    }

    private static Read read(ItemStream stream) {
        Read read = new Read(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (stream) {
            while (stream.hasNext()) {
                read.items.add(stream.next());
                read.sources.add(stream.itemSource());
                read.keys.add(stream.itemKey());
            }
        }
        return read;
    }

    /** The case's text with AWS's example bucket name replaced by the case's own bucket. */
    private static String text(Path file, String bucket) throws IOException {
        return Files.readString(file).replace(AWS_BUCKET, bucket);
    }

    private static void putObjects(Path objects, String bucket) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(objects)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            String key = objects.relativize(file).toString().replace('\\', '/');
            byte[] bytes = text(file, bucket).getBytes(StandardCharsets.UTF_8);
            if (key.endsWith(".uncompressed")) {
                key = key.substring(0, key.length() - ".uncompressed".length());
                bytes = key.endsWith(".gz") ? gzip(bytes) : Zstd.compress(bytes);
            }
            String k = key;
            byte[] b = bytes;
            infra.s3().putObject(r -> r.bucket(bucket).key(k), RequestBody.fromBytes(b));
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
