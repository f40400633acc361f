package io.dmap.cli;

import io.dmap.common.events.RunStatus;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * `./dmap demo`: a whole local cluster, a seeded bucket of 3,000 "photos" (one in every 20th batch marked
 * corrupt, within the 5 % tolerance), the sample Map run with live progress, the result locations, then stop.
 */
final class Demo {

    static final String BUCKET = "dmap-demo";
    static final String RESULTS = "dmap-demo-results";
    static final int PHOTOS = 3000;

    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    int run(ClusterOptions options, ServiceJars jars, Path libs) throws Exception {
        out.println("dmap demo: starting a local cluster in " + options.home() + " ...");
        try (LocalCluster cluster = new LocalCluster(options, jars, libs, out);
             S3Client s3 = s3(options.s3Endpoint(), options.region(), options.accessKey(), options.secretKey())) {
            cluster.start();
            seed(s3);
            PlannerApi api = new PlannerApi(URI.create(options.plannerUrl()));
            PlannerApi.Answer created = api.post("/map-runs", spec());
            if (created.status() >= 300) {
                throw new IOException("the planner refused the demo spec: " + created.body());
            }
            String id = created.body().path("mapRunId").asText();
            out.println("\nmap run " + id + " (GET " + options.plannerUrl() + "/map-runs/" + id + ")");
            ProgressBar bar = new ProgressBar(out);
            JsonNode run = api.awaitTerminal(id, Duration.ofMinutes(15), bar::update);
            bar.finish();
            summary(out, run);
            printResults(out, s3, run, 0);
            out.println("\nstopping the cluster (data stays in " + options.home() + "; ./dmap up starts it again) ...");
            return RunStatus.SUCCEEDED.name().equals(run.path("status").asText()) ? 0 : 1;
        }
    }

    private void seed(S3Client s3) throws Exception {
        for (String bucket : List.of(BUCKET, RESULTS)) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException e) {
                // seeded by an earlier demo: data survives restarts
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                if (e.statusCode() != 409) {
                    throw e;
                }
            }
        }
        int present = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("photos/")).contents().stream()
                .mapToInt(o -> 1).sum();
        if (present >= PHOTOS) {
            out.println("  bucket " + BUCKET + " already holds " + present + " photos");
            return;
        }
        out.print("  seeding s3://" + BUCKET + "/photos/ with " + PHOTOS + " objects ... ");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < PHOTOS; i++) {
                String key = key(i);
                puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("image/jpeg"),
                        RequestBody.fromString("not really a jpeg: " + key))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }
        out.println("done");
    }

    /** Every 20th batch of 50 starts with a corrupt photo: 3 of 60 batches, 150 items, exactly 5 %. */
    static String key(int i) {
        boolean corrupt = i % 1000 == 0;
        return String.format("photos/%05d-%s.jpg", i, corrupt ? "corrupt" : "ok");
    }

    private static String spec() throws IOException {
        try (InputStream in = Demo.class.getResourceAsStream("/demo/spec.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void summary(PrintStream out, JsonNode run) {
        JsonNode items = run.path("itemCounts");
        JsonNode execs = run.path("executionCounts");
        out.printf("%nstatus %s%s%n", run.path("status").asText(),
                run.path("error").isTextual() ? "  (" + run.path("error").asText() + ": " + run.path("cause").asText() + ")" : "");
        out.printf("items       total %d  succeeded %d  failed %d  timed out %d  aborted %d  pending %d  results written %d%n",
                items.path("total").asLong(), items.path("succeeded").asLong(), items.path("failed").asLong(),
                items.path("timedOut").asLong(), items.path("aborted").asLong(), items.path("pending").asLong(),
                items.path("resultsWritten").asLong());
        out.printf("executions  total %d  succeeded %d  failed %d%n", execs.path("total").asLong(),
                execs.path("succeeded").asLong(), execs.path("failed").asLong());
        JsonNode details = run.path("resultWriterDetails");
        if (details.path("key").isTextual()) {
            out.println("manifest    s3://" + details.path("bucket").asText() + "/" + details.path("key").asText());
        }
    }

    /** Each result file from the manifest with its size, and its first {@code sample} records. */
    static void printResults(PrintStream out, S3Client s3, JsonNode run, int sample) {
        JsonNode details = run.path("resultWriterDetails");
        String bucket = details.path("bucket").asText();
        JsonNode manifest = Json.parse(s3.getObjectAsBytes(b -> b.bucket(bucket).key(details.path("key").asText())).asUtf8String());
        if (sample > 0) {
            out.println("manifest s3://" + bucket + "/" + details.path("key").asText());
            out.println(manifest.toPrettyString());
        }
        manifest.path("ResultFiles").fields().forEachRemaining(category -> category.getValue().forEach(file -> {
            String key = file.path("Key").asText();
            out.printf("%-10s  s3://%s/%s  (%d bytes)%n", category.getKey(), bucket, key, file.path("Size").asLong());
            if (sample > 0) {
                String text = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
                JsonNode records = text.startsWith("[") ? Json.parse(text) : Json.parse("[" + String.join(",", text.split("\n")) + "]");
                for (int i = 0; i < Math.min(sample, records.size()); i++) {
                    out.println("    " + records.get(i));
                }
            }
        }));
    }

    static S3Client s3(String endpoint, String region, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(region))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }
}
