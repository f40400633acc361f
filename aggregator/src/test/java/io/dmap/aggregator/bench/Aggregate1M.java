package io.dmap.aggregator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStarted;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.events.OutputType;
import io.dmap.common.events.RunConfig;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.events.RunRequested;
import io.dmap.common.events.RunStatus;
import io.dmap.common.events.Transformation;
import io.dmap.common.json.Json;
import io.dmap.common.json.JsonSerde;
import io.dmap.service.kafka.KafkaClientConfig;
import io.dmap.service.kafka.TopicCreator;
import io.dmap.common.topics.Topics;
import io.dmap.testsupport.DmapInfra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory-at-scale check (not a test): starts the REAL aggregator (its Quarkus jar) as a child process with a
 * small heap (default -Xmx512m) against the broker and S3Proxy of the test infrastructure (run inside this JVM),
 * feeds it one run of N items (default 1,000,000) in batches of B (default 100) as planner and workers would
 * (RunRequested, RunPlanned, then ExecutionStarted + ExecutionFinished per batch; 1% of the batches fail, within
 * ToleratedFailurePercentage 5), and prints the tally rate, the time to write the result files, and the aggregator's
 * peak heap, sampled from its {@code /q/metrics} every 250 ms and read from its GC log. Checks the final counts.
 * Run by {@code aggregator/bench/aggregate-1m.sh}.
 *
 * <p>Arguments: {@code <aggregator quarkus-run.jar> [items] [itemsPerBatch] [xmx] [work dir]}.
 */
public final class Aggregate1M {

    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final Pattern HEAP_USED = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.eE+]+)",
            Pattern.MULTILINE);

    private Aggregate1M() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        long items = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
        int perBatch = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        String xmx = args.length > 3 ? args[3] : "512m";
        Path work = Files.createDirectories(Path.of(args.length > 4 ? args[4] : "target/bench"));
        long batches = (items + perBatch - 1) / perBatch;

        DmapInfra infra = DmapInfra.shared();
        String bucket = "bench-results";
        infra.createBucket(bucket);
        String ns = "bench-agg-" + System.currentTimeMillis();
        Topics topics = Topics.of(ns);
        TopicCreator.ensure(KafkaClientConfig.of(infra.bootstrapServers()), topics, 12, 6, (short) 1);

        int port = freePort();
        Path gcLog = work.resolve("aggregator-gc.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-Xlog:gc:file=" + gcLog, "-Dquarkus.http.port=" + port,
                "-Ddmap.topics.namespace=" + ns,
                "-Dquarkus.kafka-streams.application-id=" + ns + "-aggregator",
                "-Daggregator.results.group-id=" + ns + "-result-writer",
                "-Dkafka-streams.state.dir=" + work.resolve(ns + "-state").toAbsolutePath(),
                "-Daggregator.results.temp-dir=" + Files.createDirectories(work.resolve(ns + "-tmp")).toAbsolutePath()));
        for (Map.Entry<String, String> e : infra.serviceConfig().entrySet()) {
            command.add("-D" + e.getKey() + "=" + e.getValue());
        }
        command.addAll(List.of("-jar", jar.toString()));
        Process aggregator = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("aggregator.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> sampleHeap(http, port, peakHeap), "heap-sampler");
        sampler.setDaemon(true);
        try {
            awaitReady(http, port);
            sampler.start();
            String id = "bench-" + System.currentTimeMillis();
            CompletableFuture<Timeline> following = CompletableFuture.supplyAsync(
                    () -> follow(infra.bootstrapServers(), topics.status(), id));
            Instant feedStart = Instant.now();
            long failedBatches = feed(infra, topics, id, bucket, items, perBatch, batches);
            Timeline t = following.get();
            MapRunStatus done = t.done;
            long expectedFailed = failedBatches * perBatch;
            check(done.itemCounts().succeeded() == items - expectedFailed && done.itemCounts().failed() == expectedFailed
                    && done.itemCounts().resultsWritten() == items && done.status() == RunStatus.SUCCEEDED,
                    "final status: " + done);
            JsonNode manifest = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket)
                    .key(done.resultWriterDetails().key())).asUtf8String());
            long files = 0;
            long bytes = 0;
            for (JsonNode category : manifest.get("ResultFiles")) {
                for (JsonNode f : category) {
                    files++;
                    bytes += f.get("Size").asLong();
                }
            }
            double tally = Duration.between(feedStart, t.allAccounted).toMillis() / 1000.0;
            double write = Duration.between(t.allAccounted, t.doneSeen).toMillis() / 1000.0;
            System.out.printf("run: %,d items in %,d batches of %d (%,d failed batches), status %s%n", items, batches,
                    perBatch, failedBatches, done.status());
            System.out.printf("tally: %,d outcome events (ExecutionStarted + ExecutionFinished) counted in %.1f s from the "
                    + "first one sent: %,.0f events/s, %,.0f batches/s, %,.0f items/s%n", 2 * batches, tally,
                    2 * batches / tally, batches / tally, items / tally);
            System.out.printf("results: %d files, %,d bytes, written in %.1f s (all accounted for -> DONE)%n", files,
                    bytes, write);
            System.out.printf("aggregator heap (-Xmx%s): peak used %d MiB sampled from /q/metrics every 250 ms%n", xmx,
                    peakHeap.get() >> 20);
        } finally {
            aggregator.destroy();
            aggregator.waitFor();
        }
        gcFigures(gcLog, xmx);
        System.exit(0);
    }

    /** Publishes the run as planner and workers would; returns the number of failed batches. */
    private static long feed(DmapInfra infra, Topics topics, String id, String bucket, long items, int perBatch,
                             long batches) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        JsonNode processor = Json.parse("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
        RunConfig runConfig = new RunConfig("Bench", 0, null, 5.0,
                new RunConfig.ResultWriterConfig(bucket, "bench", OutputType.JSON, Transformation.NONE));
        long failed = 0;
        long t0 = System.nanoTime();
        try (KafkaProducer<String, RunEvent> runs = new KafkaProducer<>(config, new StringSerializer(),
                JsonSerde.of(RunEvent.class));
             KafkaProducer<String, OutcomeEvent> outcomes = new KafkaProducer<>(config, new StringSerializer(),
                     JsonSerde.of(OutcomeEvent.class))) {
            runs.send(new ProducerRecord<>(topics.runs(), id, RunRequested.of(id, null, Instant.now(), runConfig,
                    Json.MAPPER.createObjectNode().set("ItemProcessor", processor)))).get();
            runs.send(new ProducerRecord<>(topics.runs(), id, RunPlanned.of(id, items, batches, Instant.now()))).get();
            for (long b = 0; b < batches; b++) {
                int n = (int) Math.min(perBatch, items - b * perBatch);
                ArrayNode list = Json.NODES.arrayNode();
                for (int i = 0; i < n; i++) {
                    long item = b * perBatch + i;
                    list.addObject().put("id", item).put("key", "items/" + item + ".json");
                }
                JsonNode input = Json.NODES.objectNode().set("Items", list);
                BatchMessage batch = BatchMessage.of(id, b, b * perBatch, n, input, processor);
                Instant now = Instant.now();
                outcomes.send(new ProducerRecord<>(topics.outcomes(), id, ExecutionStarted.of(id, b, n, now, "bench")));
                OutcomeEvent end;
                if (b % 100 == 99) {
                    failed++;
                    end = ExecutionFinished.failed(batch, ExecutionStatus.FAILED, "States.TaskFailed", "bench failure",
                            now, now, "bench");
                } else {
                    end = ExecutionFinished.succeeded(batch, list, now, now, "bench");
                }
                outcomes.send(new ProducerRecord<>(topics.outcomes(), id, end));
            }
            outcomes.flush();
        }
        System.out.printf("fed %,d batches (%,d outcome events) in %.1f s%n", batches, 2 * batches,
                (System.nanoTime() - t0) / 1e9);
        return failed;
    }

    private record Timeline(Instant allAccounted, Instant doneSeen, MapRunStatus done) {
    }

    /** Follows the run's snapshots (wall-clock times as seen here) until it is DONE. */
    private static Timeline follow(String bootstrap, String topic, String id) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, MapRunStatus> c = new KafkaConsumer<>(config, new StringDeserializer(),
                JsonSerde.of(MapRunStatus.class))) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Instant accounted = null;
            long deadline = System.currentTimeMillis() + 3_600_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, MapRunStatus> r : c.poll(Duration.ofMillis(200))) {
                    if (!id.equals(r.key()) || r.value() == null) {
                        continue;
                    }
                    MapRunStatus s = r.value(); // times are wall-clock here: snapshots carry event times only
                    if (accounted == null && s.phase() != RunPhase.RUNNING && s.phase() != RunPhase.PLANNING) {
                        accounted = Instant.now();
                    }
                    if (s.phase() == RunPhase.DONE) {
                        return new Timeline(accounted, Instant.now(), s);
                    }
                }
            }
            throw new IllegalStateException("map run " + id + " did not finish within an hour");
        }
    }

    private static void sampleHeap(HttpClient http, int port, AtomicLong peak) {
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                Matcher m = HEAP_USED.matcher(r.body());
                double used = 0;
                while (m.find()) {
                    used += Double.parseDouble(m.group(1));
                }
                peak.accumulateAndGet((long) used, Math::max);
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                return; // the aggregator is gone
            }
        }
    }

    private static void gcFigures(Path gcLog, String xmx) throws IOException {
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
        System.out.printf("aggregator heap (-Xmx%s, from its GC log, %d GCs): peak used %d MiB (before a GC), "
                + "peak live %d MiB (after a GC), peak committed %d MiB%n", xmx, gcs, peakBefore, peakAfter, maxCommitted);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("check failed: " + what);
        }
    }

    private static void awaitReady(HttpClient http, int port) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
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
        throw new IllegalStateException("the aggregator did not become ready; see its log");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
