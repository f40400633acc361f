package io.dmap.aggregator.results;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.OutputType;
import io.dmap.common.events.RunConfig;
import io.dmap.common.events.Transformation;
import io.dmap.common.json.Json;
import io.dmap.service.S3ClientProducer;
import io.dmap.testsupport.RestartableS3Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The result writer meeting an S3 server that restarts in the middle of a run's files (the chaos case that failed
 * runs with ResultWriterFailed "Connection refused (SDK Attempt Count: 3)"): the real server is stopped right after
 * the first result file is stored and started again 3 s later; the write completes, with every file.
 */
class ResultWriterRestartTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String RUN = "run-restart";
    private static final int RECORDS = 40;

    @TempDir
    Path temp;

    @Test
    void aResultWriteSurvivesTheS3ServerRestartingMidWrite() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("s3"));
        try (RestartableS3Server server = new RestartableS3Server(folder);
             S3Client real = S3ClientProducer.client(server.endpoint(),
                     RestartableS3Server.ACCESS_KEY, RestartableS3Server.SECRET_KEY, Duration.ofMinutes(2), Duration.ofMillis(500))) {
            real.createBucket(b -> b.bucket("results"));
            AtomicInteger puts = new AtomicInteger();
            List<CompletableFuture<Void>> restarts = new ArrayList<>();
            S3Client s3 = stoppingAfterFirstPut(real, puts, () -> restarts.add(server.restartAfter(Duration.ofSeconds(3))));
            List<ExecutionRecord> records = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                records.add(new ExecutionRecord(RUN, i, ExecutionStatus.SUCCEEDED.name(), 1,
                        Json.parse("{\"Items\":[" + i + "]}"), Json.parse("{\"n\":" + i + "}"), null, null, T0, T0, 0, null));
            }

            ResultWriter.Written w = new ResultWriter(s3, 60, Files.createDirectories(temp.resolve("files")))
                    .write(RUN, "L", new RunConfig.ResultWriterConfig("results", "out", OutputType.JSONL, Transformation.COMPACT),
                            records.iterator());

            assertEquals(1, restarts.size(), "the server was stopped once, mid-write");
            restarts.get(0).join();
            assertEquals(RECORDS, w.itemsWritten());
            JsonNode files = Json.parse(real.getObjectAsBytes(b -> b.bucket("results").key(w.manifestKey()))
                    .asUtf8String()).get("ResultFiles").get("SUCCEEDED");
            assertTrue(files.size() > 2, "several result files, so some were written after the restart: " + files);
            List<String> lines = new ArrayList<>();
            for (JsonNode f : files) {
                lines.addAll(real.getObjectAsBytes(b -> b.bucket("results").key(f.get("Key").asText()))
                        .asUtf8String().lines().toList());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                expected.add("{\"n\":" + i + "}");
            }
            assertEquals(expected, lines);
        }
    }

    /** The real client, with a hook run once after its first successful putObject. */
    private static S3Client stoppingAfterFirstPut(S3Client real, AtomicInteger puts, ThrowingRunnable afterFirst) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[]{S3Client.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("putObject") && puts.incrementAndGet() == 1) {
                        afterFirst.run();
                    }
                    return result;
                });
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
