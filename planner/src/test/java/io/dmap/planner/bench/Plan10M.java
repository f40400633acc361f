package io.dmap.planner.bench;

import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.json.Json;
import io.dmap.service.kafka.KafkaClientConfig;
import io.dmap.service.kafka.TopicCreator;
import io.dmap.common.topics.Topics;
import io.dmap.testsupport.DmapInfra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The streaming check (not a test): writes an N-row JSONL item file (default 10,000,000) to the S3 server of the
 * test infrastructure, starts the REAL planner (its Quarkus jar) as a child process with a small heap
 * (default -Xmx256m) and a GC log, POSTs a getObject JSONL run, waits for RunPlanned on map-runs, and prints the
 * planning rate and the planner's heap figures from its GC log. Run by {@code planner/bench/plan-10m.sh}.
 *
 * <p>Arguments: {@code <planner quarkus-run.jar> [rows] [xmx] [maxItemsPerBatch] [work dir]}.
 */
public final class Plan10M {

    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private Plan10M() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        String xmx = args.length > 2 ? args[2] : "256m";
        int perBatch = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Path work = Files.createDirectories(Path.of(args.length > 4 ? args[4] : "target/bench"));

        DmapInfra infra = DmapInfra.shared();
        String bucket = "bench-items";
        infra.createBucket(bucket);
        Path items = work.resolve("items.jsonl");
        long t0 = System.nanoTime();
        try (BufferedWriter out = Files.newBufferedWriter(items, StandardCharsets.UTF_8)) {
            for (long i = 0; i < rows; i++) {
                out.write("{\"id\":");
                out.write(Long.toString(i));
                out.write(",\"key\":\"items/");
                out.write(Long.toString(i));
                out.write(".json\"}\n");
            }
        }
        infra.s3().putObject(b -> b.bucket(bucket).key("items.jsonl"), RequestBody.fromFile(items));
        System.out.printf("item file: %,d rows, %,d bytes, written and uploaded in %.1f s%n", rows, Files.size(items),
                (System.nanoTime() - t0) / 1e9);
        Files.delete(items);

        Topics topics = Topics.of("bench" + System.currentTimeMillis());
        TopicCreator.ensure(KafkaClientConfig.of(infra.bootstrapServers()), topics, 12, 6, (short) 1);
        int port = freePort();
        Path gcLog = work.resolve("planner-gc.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-Xlog:gc:file=" + gcLog, "-Dquarkus.http.port=" + port,
                "-Ddmap.topics.namespace=" + topics.namespace()));
        for (Map.Entry<String, String> e : infra.serviceConfig().entrySet()) {
            command.add("-D" + e.getKey() + "=" + e.getValue());
        }
        command.addAll(List.of("-jar", jar.toString()));
        Process planner = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("planner.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            awaitReady(http, port);
            String spec = """
                    {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                                    "Parameters": {"Bucket": "%s", "Key": "items.jsonl"},
                                    "ReaderConfig": {"InputType": "JSONL"}},
                     "ItemBatcher": {"MaxItemsPerBatch": %d},
                     "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P",
                                       "States": {"P": {"Type": "Pass", "End": true}}}}""".formatted(bucket, perBatch);
            long start = System.nanoTime();
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/map-runs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(spec)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String id = Json.parse(posted.body()).get("mapRunId").asText();
            RunEvent end = awaitEnd(infra.bootstrapServers(), topics.runs(), id);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (end instanceof PlanningFailed failed) {
                throw new IllegalStateException("planning failed: " + failed.error() + ": " + failed.cause());
            }
            RunPlanned planned = (RunPlanned) end;
            System.out.printf("planned %,d items in %,d batches (MaxItemsPerBatch %d) in %.1f s: %,.0f items/s%n",
                    planned.totalItems(), planned.totalBatches(), perBatch, seconds, planned.totalItems() / seconds);
        } finally {
            planner.destroy();
            planner.waitFor();
        }
        heapFigures(gcLog, xmx);
        System.exit(0);
    }

    private static void heapFigures(Path gcLog, String xmx) throws IOException {
        int gcs = 0;
        long peakBefore = 0;
        long peakAfter = 0;
        long maxCommitted = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                gcs++;
                peakBefore = Math.max(peakBefore, Long.parseLong(m.group(1)));
                peakAfter = Math.max(peakAfter, Long.parseLong(m.group(2)));
                maxCommitted = Math.max(maxCommitted, Long.parseLong(m.group(3)));
            }
        }
        System.out.printf("planner heap (-Xmx%s, from its GC log, %d GCs): peak used %d MiB (before a GC), "
                + "peak live %d MiB (after a GC), peak committed %d MiB%n", xmx, gcs, peakBefore, peakAfter, maxCommitted);
    }

    private static void awaitReady(HttpClient http, int port) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the planner did not become ready");
    }

    private static RunEvent awaitEnd(String bootstrap, String topic, String id) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 3_600_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (id.equals(r.key())) {
                        RunEvent event = Json.fromBytes(r.value(), RunEvent.class);
                        if (event instanceof RunPlanned || event instanceof PlanningFailed) {
                            return event;
                        }
                    }
                }
            }
            throw new IllegalStateException("no RunPlanned within an hour");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
