package io.dmap.service;

import io.dmap.testsupport.RestartableS3Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The services' S3 client against the real S3 server stopped and started again under it. */
class S3ConnectionRetryTest {

    @TempDir
    Path folder;

    private RestartableS3Server server;

    @BeforeEach
    void start() throws Exception {
        server = new RestartableS3Server(folder);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aRequestMadeWhileTheServerIsDownSucceedsOnceItIsBack() throws Exception {
        try (S3Client s3 = S3ClientProducer.client(settings(server.endpoint(), Duration.ofMinutes(2)))) {
            s3.createBucket(b -> b.bucket("restart"));
            server.stop();
            AtomicBoolean restarted = new AtomicBoolean();
            CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(3_000);
                    server.start();
                    restarted.set(true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            s3.putObject(b -> b.bucket("restart").key("results/a.json"), RequestBody.fromString("{\"a\":1}"));

            assertTrue(restarted.get(), "the put returned only after the server came back");
            restart.join();
            assertEquals("{\"a\":1}", s3.getObjectAsBytes(b -> b.bucket("restart").key("results/a.json")).asUtf8String());
        }
    }

    @Test
    void aServerThatStaysDownFailsTheRequestAfterTheConfiguredTime() throws Exception {
        try (S3Client s3 = S3ClientProducer.client(settings(server.endpoint(), Duration.ofSeconds(3)))) {
            server.stop();
            SdkClientException e = assertThrows(SdkClientException.class,
                    () -> s3.putObject(b -> b.bucket("restart").key("x"), RequestBody.fromString("x")));
            Matcher attempts = Pattern.compile("SDK Attempt Count: (\\d+)").matcher(e.getMessage());
            assertTrue(attempts.find(), e.getMessage());
            assertTrue(Integer.parseInt(attempts.group(1)) > 3,
                    "retried past the SDK's 3 attempts: " + e.getMessage());
        }
    }

    @Test
    void answersFromS3AreNotConnectionFailures() throws Exception {
        try (S3Client s3 = S3ClientProducer.client(settings(server.endpoint(), Duration.ofMinutes(2)))) {
            NoSuchBucketException e = assertThrows(NoSuchBucketException.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket("no-such-bucket").key("x")));
            assertFalse(S3ConnectionRetry.unreachable(e));
        }
    }

    static DmapConfig.S3 settings(URI endpoint, Duration maxTime) {
        return new Settings(endpoint, new Retry(maxTime, Duration.ofMillis(500)));
    }

    private record Retry(Duration maxTime, Duration maxBackoff) implements DmapConfig.ConnectionRetry {
    }

    private record Settings(URI uri, Retry retry) implements DmapConfig.S3 {
        public Optional<URI> endpoint() {
            return Optional.of(uri);
        }

        public String region() {
            return "us-east-1";
        }

        public Optional<String> accessKey() {
            return Optional.of(RestartableS3Server.ACCESS_KEY);
        }

        public Optional<String> secretKey() {
            return Optional.of(RestartableS3Server.SECRET_KEY);
        }

        public boolean pathStyle() {
            return true;
        }

        public Optional<List<String>> allowedBuckets() {
            return Optional.empty();
        }

        public DmapConfig.ConnectionRetry connectionRetry() {
            return retry;
        }
    }
}
