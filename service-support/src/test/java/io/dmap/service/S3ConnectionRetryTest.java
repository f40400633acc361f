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

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
        try (S3Client s3 = client(Duration.ofMinutes(2))) {
            s3.createBucket(b -> b.bucket("restart"));
            CompletableFuture<Void> restart = server.restartAfter(Duration.ofSeconds(3));

            s3.putObject(b -> b.bucket("restart").key("results/a.json"), RequestBody.fromString("{\"a\":1}"));

            assertTrue(server.running() && restart.isDone(), "the put returned only after the server came back");
            restart.join();
            assertEquals("{\"a\":1}", s3.getObjectAsBytes(b -> b.bucket("restart").key("results/a.json")).asUtf8String());
        }
    }

    @Test
    void aServerThatStaysDownFailsTheRequestAfterTheConfiguredTime() throws Exception {
        try (S3Client s3 = client(Duration.ofSeconds(3))) {
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
        try (S3Client s3 = client(Duration.ofMinutes(2))) {
            NoSuchBucketException e = assertThrows(NoSuchBucketException.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket("no-such-bucket").key("x")));
            assertFalse(S3ConnectionRetry.unreachable(e));
        }
    }

    private S3Client client(Duration retryMaxTime) {
        return S3ClientProducer.client(server.endpoint(), RestartableS3Server.ACCESS_KEY, RestartableS3Server.SECRET_KEY,
                retryMaxTime, Duration.ofMillis(500));
    }
}
