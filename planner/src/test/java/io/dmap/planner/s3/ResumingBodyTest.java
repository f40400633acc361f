package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.map.MapRunSpec;
import io.dmap.asl.map.SpecParser;
import io.dmap.planner.planning.ItemStream;
import io.dmap.service.S3ClientProducer;
import io.dmap.testsupport.RestartableS3Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An item file whose download is cut by the S3 server going away mid-body (the chaos case: the S3 server killed while
 * the planner reads a file): the SDK does not retry a body stream, so the readers resume with a ranged GET from the
 * byte they reached. The real server is stopped with the body half read and started again 2 s later. The object is
 * large (24 MiB) so that what the sockets had buffered before the stop does not cover the rest of it.
 */
class ResumingBodyTest {

    private static final int LINES = 300_000;

    @TempDir
    Path temp;

    @Test
    void aBodyCutByTheServerStoppingIsReadToItsEndFromWhereItBroke() throws Exception {
        try (RestartableS3Server server = new RestartableS3Server(Files.createDirectories(temp.resolve("s3")));
             S3Client s3 = client(server)) {
            byte[] content = jsonl();
            s3.createBucket(b -> b.bucket("items"));
            s3.putObject(b -> b.bucket("items").key("big.jsonl"), RequestBody.fromBytes(content));

            ByteArrayOutputStream read = new ByteArrayOutputStream();
            try (InputStream in = new S3Objects(s3).raw("items", "big.jsonl", null, 0, -1)) {
                read.write(in.readNBytes(1 << 20));
                CompletableFuture<Void> restart = server.restartAfter(Duration.ofSeconds(2));
                in.transferTo(read);
                restart.join();
            }

            assertEquals(content.length, read.size());
            assertArrayEquals(content, read.toByteArray());
        }
    }

    @Test
    void aJsonlReaderCutMidFileReadsEveryItemOnce() throws Exception {
        try (RestartableS3Server server = new RestartableS3Server(Files.createDirectories(temp.resolve("s3")));
             S3Client s3 = client(server)) {
            s3.createBucket(b -> b.bucket("items"));
            s3.putObject(b -> b.bucket("items").key("big.jsonl"), RequestBody.fromBytes(jsonl()));
            MapRunSpec spec = SpecParser.parse("{\"ItemReader\": {\"Resource\": \"arn:aws:states:::s3:getObject\","
                    + "\"ReaderConfig\": {\"InputType\": \"JSONL\"},"
                    + "\"Parameters\": {\"Bucket\": \"items\", \"Key\": \"big.jsonl\"}},"
                    + "\"ItemProcessor\": {\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"EXPRESS\"},"
                    + "\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}}");

            int n = 0;
            CompletableFuture<Void> restart = null;
            try (ItemStream items = new S3ItemReaders(s3).readerFor(spec).open()) {
                while (items.hasNext()) {
                    JsonNode item = items.next();
                    assertEquals(n, item.path("n").asInt(), "item " + n + " in order, once");
                    n++;
                    if (n == 10_000) {
                        restart = server.restartAfter(Duration.ofSeconds(2));
                    }
                }
            }
            restart.join();
            assertEquals(LINES, n);
        }
    }

    @Test
    void anObjectReplacedWhileItIsReadFailsTheReadInsteadOfSplicingTwoContents() throws Exception {
        try (RestartableS3Server server = new RestartableS3Server(Files.createDirectories(temp.resolve("s3")));
             S3Client s3 = client(server)) {
            byte[] content = jsonl();
            s3.createBucket(b -> b.bucket("items"));
            s3.putObject(b -> b.bucket("items").key("big.jsonl"), RequestBody.fromBytes(content));

            try (InputStream in = new S3Objects(s3).raw("items", "big.jsonl", null, 0, -1)) {
                in.readNBytes(1 << 20);
                server.stop();
                server.start();
                s3.putObject(b -> b.bucket("items").key("big.jsonl"), RequestBody.fromString("{\"other\": true}\n"));
                IOException failure = assertThrows(IOException.class, in::readAllBytes);
                assertTrue(failure.getMessage().contains("s3://items/big.jsonl") && failure.getMessage().contains("changed"),
                        failure.getMessage());
            }
        }
    }

    private static S3Client client(RestartableS3Server server) {
        return S3ClientProducer.client(server.endpoint(), RestartableS3Server.ACCESS_KEY, RestartableS3Server.SECRET_KEY,
                Duration.ofMinutes(1), Duration.ofMillis(500));
    }

    private static byte[] jsonl() {
        StringBuilder b = new StringBuilder(LINES * 80);
        for (int i = 0; i < LINES; i++) {
            b.append("{\"n\":").append(i).append(",\"pad\":\"").append("x".repeat(60)).append("\"}\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
