package io.dmap.aggregator.it;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.dmap.common.events.RedriveRequested;
import io.dmap.common.events.RunStatus;
import io.dmap.common.events.RunUpdated;
import io.dmap.common.events.Transformation;
import io.dmap.common.spec.Placement;
import io.dmap.common.json.Json;
import io.dmap.common.json.JsonSerde;
import io.dmap.common.spec.Arns;
import io.dmap.common.topics.Topics;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The aggregator against the real broker and S3 server: events go straight onto the topics (as planner and
 * workers would publish them); the final status snapshot and the result files in S3 are checked.
 */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
@TestProfile(AggregatorTestProfile.class)
class AggregatorServiceTest {

    private static final Topics TOPICS = Topics.of(AggregatorTestProfile.NAMESPACE);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static DmapInfra infra;
    private static KafkaProducer<String, RunEvent> runs;
    private static KafkaProducer<String, OutcomeEvent> outcomes;

    @BeforeAll
    static void producers() {
        infra = DmapInfra.shared();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        runs = new KafkaProducer<>(config, new StringSerializer(), JsonSerde.of(RunEvent.class));
        outcomes = new KafkaProducer<>(config, new StringSerializer(), JsonSerde.of(OutcomeEvent.class));
    }

    @AfterAll
    static void close() {
        runs.close();
        outcomes.close();
    }

    @Test
    void writesEveryExecutionOnceAndFinishes() throws Exception {
        String bucket = "agg-results-" + UUID.randomUUID().toString().substring(0, 8);
        infra.createBucket(bucket);
        String id = "run-" + UUID.randomUUID();
        RunConfig config = new RunConfig("ResultsTest", 0, 2, null,
                new RunConfig.ResultWriterConfig(bucket, "out/", OutputType.JSON, Transformation.NONE));
        send(RunRequested.of(id, "n1", T0, config, Json.parse("{}")));

        // 6 batches: 4 succeed (2 items each), one fails, one times out; two outcomes are redelivered
        List<BatchMessage> batches = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            BatchMessage batch = BatchMessage.of(id, b, b * 2L, b < 4 ? 2 : 1,
                    Json.parse("{\"Items\":[{\"n\":" + b + "},{\"pad\":\"" + "x".repeat(100) + "\"}]}"), Json.parse("{}"));
            batches.add(batch);
            send(ExecutionStarted.of(id, b, batch.itemCount(), T0, "w1"));
        }
        for (int b = 0; b < 4; b++) {
            send(ExecutionFinished.succeeded(batches.get(b), Json.parse("{\"out\":" + b + "}"), T0, T0.plusSeconds(1), "w1"));
        }
        send(ExecutionFinished.failed(batches.get(4), ExecutionStatus.FAILED, "States.TaskFailed", "boom", T0, T0, "w1"));
        send(ExecutionFinished.failed(batches.get(5), ExecutionStatus.TIMED_OUT, "States.Timeout", "slow", T0, T0, "w1"));
        send(ExecutionFinished.succeeded(batches.get(1), Json.parse("{\"out\":1}"), T0, T0, "w2"));
        send(ExecutionFinished.failed(batches.get(2), ExecutionStatus.FAILED, "States.TaskFailed", "dup", T0, T0, "w2"));
        send(RunPlanned.of(id, 10, 6, T0));

        MapRunStatus done = awaitStatus(id, s -> s.phase() == RunPhase.DONE);
        assertEquals(RunStatus.SUCCEEDED, done.status(), "2 failures are tolerated: " + done);
        assertNull(done.error());
        assertEquals(8, done.itemCounts().succeeded());
        assertEquals(1, done.itemCounts().failed());
        assertEquals(1, done.itemCounts().timedOut());
        assertEquals(0, done.itemCounts().pending());
        assertEquals(10, done.itemCounts().resultsWritten());
        assertEquals(6, done.executionCounts().resultsWritten());
        assertNotNull(done.stopDate());
        String prefix = "out/" + id + "/";
        assertEquals(new MapRunStatus.ResultWriterDetails(bucket, prefix + "manifest.json"), done.resultWriterDetails());

        JsonNode manifest = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key(prefix + "manifest.json")).asUtf8String());
        assertEquals(bucket, manifest.get("DestinationBucket").asText());
        assertEquals(Arns.mapRun("ResultsTest", id), manifest.get("MapRunArn").asText());
        assertEquals(0, manifest.get("ResultFiles").get("PENDING").size());

        Map<String, Long> stored = infra.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()
                .stream().collect(Collectors.toMap(S3Object::key, S3Object::size));
        Map<String, JsonNode> records = new HashMap<>();
        Set<String> listed = new HashSet<>(Set.of(prefix + "manifest.json"));
        for (String category : List.of("SUCCEEDED", "FAILED")) {
            JsonNode files = manifest.get("ResultFiles").get(category);
            assertFalse(files.isEmpty(), category + " files listed");
            for (JsonNode file : files) {
                String key = file.get("Key").asText();
                listed.add(key);
                assertTrue(key.startsWith(prefix + category + "_"), key);
                assertEquals(stored.get(key), file.get("Size").asLong(), "manifest size of " + key);
                JsonNode content = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
                assertTrue(content.isArray(), key + " is one JSON array");
                for (JsonNode record : content) {
                    assertNull(records.put(record.get("Name").asText(), record), "written once: " + record);
                    assertEquals(category.equals("SUCCEEDED"), record.get("Status").asText().equals("SUCCEEDED"));
                }
            }
        }
        assertTrue(manifest.get("ResultFiles").get("SUCCEEDED").size() > 1, "records spread over several files");
        assertEquals(listed, stored.keySet(), "no file outside the manifest");
        assertEquals(6, records.size(), "every execution exactly once");

        JsonNode ok = records.get(Arns.executionName(id, 2));
        assertEquals("SUCCEEDED", ok.get("Status").asText(), "the first outcome of a batch counts");
        assertEquals(Json.parse("{\"out\":2}"), Json.parse(ok.get("Output").asText()));
        assertEquals(batches.get(2).input(), Json.parse(ok.get("Input").asText()));
        assertEquals(Arns.execution("ResultsTest", id, 2), ok.get("ExecutionArn").asText());
        assertEquals(T0.toString(), ok.get("StartDate").asText());
        assertEquals(0, ok.get("RedriveCount").asInt());
        assertNotNull(ok.get("StateMachineArn"));
        JsonNode timedOut = records.get(Arns.executionName(id, 5));
        assertEquals("TIMED_OUT", timedOut.get("Status").asText());
        assertEquals("States.Timeout", timedOut.get("Error").asText());
        assertEquals("slow", timedOut.get("Cause").asText());
        assertNull(timedOut.get("Output"));
    }

    @Test
    void redriveRerunsTheFailuresAndTheManifestHoldsTheSuccessesOfEveryAttempt() throws Exception {
        String bucket = "agg-redrive-" + UUID.randomUUID().toString().substring(0, 8);
        infra.createBucket(bucket);
        String id = "run-" + UUID.randomUUID();
        int maxConcurrency = 2;
        RunConfig config = new RunConfig("RedriveTest", maxConcurrency, null, null,
                new RunConfig.ResultWriterConfig(bucket, "rd", OutputType.JSON, Transformation.NONE));
        JsonNode processor = Json.parse("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
        send(RunRequested.of(id, null, T0, config, Json.MAPPER.createObjectNode().set("ItemProcessor", processor)));
        send(RunPlanned.of(id, 4, 4, T0));
        List<BatchMessage> batches = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            batches.add(BatchMessage.of(id, b, b, 1, Json.parse("{\"n\":" + b + "}"), processor));
        }
        send(ExecutionFinished.succeeded(batches.get(0), Json.parse("\"ok0\""), T0, T0, "w1"));
        send(ExecutionFinished.failed(batches.get(1), ExecutionStatus.FAILED, "States.TaskFailed", "boom", T0, T0, "w1"));
        send(ExecutionFinished.notStarted(batches.get(2), T0, "w1"));
        send(ExecutionFinished.notStarted(batches.get(3), T0, "w1"));
        MapRunStatus failed = awaitStatus(id, s -> s.phase() == RunPhase.DONE);
        assertEquals(RunStatus.FAILED, failed.status());
        String prefix = "rd/" + id + "/";
        assertEquals(1, manifest(bucket, prefix).get("ResultFiles").get("FAILED").size());

        send(RedriveRequested.of(id, T0.plusSeconds(60)));
        MapRunStatus redriven = awaitStatus(id, s -> s.redriveCount() == 1);
        assertEquals(RunStatus.RUNNING, redriven.status());
        assertFalse(redriven.stopping());
        assertEquals(3, redriven.itemCounts().pending());

        Map<Long, ConsumerRecord<String, BatchMessage>> published = awaitBatches(id, 3);
        assertEquals(Set.of(1L, 2L, 3L), published.keySet());
        int partitions = consumerPartitions(TOPICS.batches());
        for (ConsumerRecord<String, BatchMessage> r : published.values()) {
            BatchMessage b = r.value();
            assertEquals(1, b.redriveCount());
            assertEquals(processor, b.processor());
            assertEquals(batches.get((int) b.batchIndex()).input(), b.input());
            assertEquals(Placement.partitionFor(id, b.batchIndex(), maxConcurrency, partitions), r.partition(),
                    "placed like the planner places batch " + b.batchIndex());
        }
        for (ConsumerRecord<String, BatchMessage> r : published.values()) {
            send(ExecutionFinished.succeeded(r.value(), Json.parse("\"ok" + r.value().batchIndex() + "\""), T0, T0, "w2"));
        }
        MapRunStatus done = awaitStatus(id, s -> s.phase() == RunPhase.DONE && s.redriveCount() == 1);
        assertEquals(RunStatus.SUCCEEDED, done.status(), done.toString());
        assertEquals(4, done.itemCounts().succeeded());
        assertEquals(4, done.itemCounts().resultsWritten());

        JsonNode manifest = manifest(bucket, prefix);
        assertEquals(0, manifest.get("ResultFiles").get("FAILED").size(), "failures of the last attempt only");
        assertEquals(0, manifest.get("ResultFiles").get("PENDING").size());
        Map<String, Integer> redriveCounts = new HashMap<>();
        Set<String> listed = new HashSet<>(Set.of(prefix + "manifest.json"));
        for (JsonNode file : manifest.get("ResultFiles").get("SUCCEEDED")) {
            listed.add(file.get("Key").asText());
            for (JsonNode record : Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket)
                    .key(file.get("Key").asText())).asUtf8String())) {
                redriveCounts.put(record.get("Name").asText(), record.get("RedriveCount").asInt());
            }
        }
        assertEquals(Map.of(Arns.executionName(id, 0), 0, Arns.executionName(id, 1), 1, Arns.executionName(id, 2), 1,
                Arns.executionName(id, 3), 1), redriveCounts, "the successes of every attempt, with their RedriveCount");
        Set<String> stored = infra.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()
                .stream().map(S3Object::key).collect(Collectors.toSet());
        assertEquals(listed, stored, "the first attempt's FAILED and PENDING files are gone");
    }

    @Test
    void anUpdatedToleranceIsAppliedAtOnce() throws Exception {
        String id = "run-" + UUID.randomUUID();
        send(RunRequested.of(id, null, T0, new RunConfig(null, 0, 5, null, null), Json.parse("{}")));
        send(RunPlanned.of(id, 10, 10, T0));
        for (int b = 0; b < 3; b++) {
            BatchMessage batch = BatchMessage.of(id, b, b, 1, Json.parse("{}"), Json.parse("{}"));
            send(ExecutionFinished.failed(batch, ExecutionStatus.FAILED, "E", "c", T0, T0, "w1"));
        }
        assertFalse(awaitStatus(id, s -> s.itemCounts().failed() == 3).stopping());
        send(RunUpdated.of(id, 2, null, 4, T0));
        MapRunStatus s = awaitStatus(id, st -> st.toleratedFailureCount() == 2);
        assertTrue(s.stopping(), "3 failed exceed the updated ToleratedFailureCount 2");
        assertEquals("States.ExceedToleratedFailureThreshold", s.error());
        assertEquals(4, s.maxConcurrency());
    }

    @Test
    void missingBucketFailsTheRunWithResultWriterFailed() throws Exception {
        String bucket = "agg-missing-" + UUID.randomUUID().toString().substring(0, 8);
        String id = "run-" + UUID.randomUUID();
        RunConfig config = new RunConfig(null, 0, null, null, new RunConfig.ResultWriterConfig(bucket, "p", OutputType.JSON, Transformation.NONE));
        send(RunRequested.of(id, null, T0, config, Json.parse("{}")));
        send(RunPlanned.of(id, 1, 1, T0));
        BatchMessage batch = BatchMessage.of(id, 0, 0, 1, Json.parse("{\"a\":1}"), Json.parse("{}"));
        send(ExecutionFinished.succeeded(batch, Json.parse("1"), T0, T0, "w1"));

        MapRunStatus done = awaitStatus(id, s -> s.phase() == RunPhase.DONE);
        assertEquals(RunStatus.FAILED, done.status());
        assertEquals("States.ResultWriterFailed", done.error());
        assertTrue(done.cause().contains(bucket), done.cause());
        assertTrue(done.cause().contains("NoSuchBucket"), done.cause());
        assertNull(done.resultWriterDetails());
    }

    @Test
    void aBucketOutsideTheAllowedOnesFailsTheRunCleanlyAndWritesNothing() throws Exception {
        String bucket = "denied-" + UUID.randomUUID().toString().substring(0, 8);
        infra.createBucket(bucket); // it exists and the credentials reach it: only the guard stands in the way
        String id = "run-" + UUID.randomUUID();
        RunConfig config = new RunConfig(null, 0, null, null, new RunConfig.ResultWriterConfig(bucket, "p", OutputType.JSON, Transformation.NONE));
        send(RunRequested.of(id, null, T0, config, Json.parse("{}")));
        send(RunPlanned.of(id, 1, 1, T0));
        BatchMessage batch = BatchMessage.of(id, 0, 0, 1, Json.parse("{\"a\":1}"), Json.parse("{}"));
        send(ExecutionFinished.succeeded(batch, Json.parse("1"), T0, T0, "w1"));

        MapRunStatus done = awaitStatus(id, s -> s.phase() == RunPhase.DONE);
        assertEquals(RunStatus.FAILED, done.status());
        assertEquals("States.ResultWriterFailed", done.error());
        assertEquals("Could not write the result files to s3://" + bucket + "/p/" + id + "/: ResultWriter on bucket '"
                + bucket + "' refused: it is not in dmap.s3.allowed-buckets (agg-*)", done.cause());
        assertNull(done.resultWriterDetails());
        assertEquals(0, infra.s3().listObjectsV2(b -> b.bucket(bucket)).keyCount());
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void runWithoutResultWriterFinishesWithoutFiles() throws Exception {
        String id = "run-" + UUID.randomUUID();
        send(RunRequested.of(id, null, T0, new RunConfig("NoWriter", 0, null, null, null), Json.parse("{}")));
        send(RunPlanned.of(id, 0, 0, T0));
        MapRunStatus done = awaitStatus(id, s -> s.phase() == RunPhase.DONE);
        assertEquals(RunStatus.SUCCEEDED, done.status());
        assertNull(done.resultWriterDetails());
    }

    @Test
    void readyOnceTheStreamsRun() throws Exception {
        String id = "run-" + UUID.randomUUID();
        send(RunRequested.of(id, null, T0, new RunConfig(null, 0, null, null, null), Json.parse("{}")));
        awaitStatus(id, s -> true);
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItem("aggregator-streams-running"));
        given().when().get("/q/health/live").then().statusCode(200)
                .body("checks.name", hasItem("result-writer"));
    }

    private static JsonNode manifest(String bucket, String prefix) {
        return Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key(prefix + "manifest.json")).asUtf8String());
    }

    private static int consumerPartitions(String topic) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()), new StringDeserializer(),
                new StringDeserializer())) {
            return c.partitionsFor(topic).size();
        }
    }

    /** The run's committed batch messages on map-batches, by batch index, once there are {@code count}. */
    private static Map<Long, ConsumerRecord<String, BatchMessage>> awaitBatches(String mapRunId, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<Long, ConsumerRecord<String, BatchMessage>> found = new HashMap<>();
        try (KafkaConsumer<String, BatchMessage> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                JsonSerde.of(BatchMessage.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPICS.batches()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline && found.size() < count) {
                for (ConsumerRecord<String, BatchMessage> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key().startsWith(mapRunId + "/")) {
                        assertNull(found.put(r.value().batchIndex(), r), "published once: " + r.key());
                    }
                }
            }
        }
        return found;
    }

    private static void send(RunEvent e) throws Exception {
        runs.send(new ProducerRecord<>(TOPICS.runs(), e.mapRunId(), e)).get();
    }

    private static void send(OutcomeEvent e) throws Exception {
        outcomes.send(new ProducerRecord<>(TOPICS.outcomes(), e.mapRunId(), e)).get();
    }

    /** Reads map-run-status (committed snapshots only) until the run's latest snapshot matches. */
    private static MapRunStatus awaitStatus(String mapRunId, Predicate<MapRunStatus> done) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, MapRunStatus> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                JsonSerde.of(MapRunStatus.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPICS.status()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            MapRunStatus latest = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, MapRunStatus> r : consumer.poll(Duration.ofMillis(500))) {
                    if (mapRunId.equals(r.key())) {
                        latest = r.value();
                        if (done.test(latest)) {
                            return latest;
                        }
                    }
                }
            }
            return fail("map run " + mapRunId + " did not reach the expected status; last seen: " + latest);
        }
    }
}
