package io.dmap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.cli.PlannerApi;
import io.dmap.cli.ServiceProcess;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.json.Json;
import io.dmap.testsupport.DmapInfra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nested Distributed Maps: the children of an outer map run (STANDARD) each start a nested map run. The services run
 * as processes on a map-batches topic of ONE partition, so there is one lane in the whole cluster: a child that held
 * its lane while its nested run waited would wait forever (the nested run's batches need that lane). Workers hand
 * such children to the planner's parent engine, which runs them without a lane and reports their outcome.
 */
class NestedMapIT {

    static final String OUT = "nested-results";
    static DmapInfra infra;
    static ServicesUnderTest services;
    static ServiceProcess worker;
    static String namespace;

    @BeforeAll
    static void start() throws Exception {
        infra = DmapInfra.shared();
        infra.createBucket(OUT);
        namespace = "nested" + System.nanoTime() % 100000;
        services = new ServicesUnderTest(infra, namespace, 1);
        services.startAggregator();
        worker = services.startWorker();
        services.startPlanner();
    }

    @AfterAll
    static void stop() throws Exception {
        if (services != null) {
            services.close();
        }
    }

    /**
     * The outer run: items {k, xs[, bad, catch]} (bad and catch false unless given), each child maps xs in a nested
     * run (x + 10; a bad one fails each inner item), then goes on; a child with catch has a Catch on its nested Map.
     */
    static String outer(String items, String innerWait, String tolerated, String prefix) {
        com.fasterxml.jackson.databind.node.ArrayNode full = (com.fasterxml.jackson.databind.node.ArrayNode) Json.parse(items);
        for (JsonNode item : full) {
            com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) item;
            o.put("bad", o.path("bad").asBoolean(false)).put("catch", o.path("catch").asBoolean(false));
        }
        String inner = """
                {"Type": "Map", "Label": "in-%s", "ItemsPath": "$.xs",
                 "ItemSelector": {"x.$": "$$.Map.Item.Value", "bad.$": "$.bad"},
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                   "StartAt": "Wait", "States": {
                     "Wait": {"Type": "Wait", "Seconds": %s, "Next": "Bad?"},
                     "Bad?": {"Type": "Choice", "Choices": [{"Variable": "$.bad", "BooleanEquals": true,
                              "Next": "Boom"}], "Default": "Add"},
                     "Boom": {"Type": "Fail", "Error": "Boom", "Cause": "a bad inner item"},
                     "Add": {"Type": "Pass", "Parameters": {"y.$": "States.MathAdd($.x, 10)"}, "End": true}}},
                 "ResultSelector": {"ys.$": "$[*].y"}, "ResultPath": "$.inner", "Next": "After" CATCH}
                """.formatted(prefix, innerWait);
        return """
                {"Label": "outer", "ItemsPath": "$.items", "Input": {"items": %s}, "MaxConcurrency": 1, %s
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                   "StartAt": "Route", "States": {
                     "Route": {"Type": "Choice", "Choices": [{"Variable": "$.catch", "BooleanEquals": true,
                               "Next": "InnerCaught"}], "Default": "Inner"},
                     "Inner": %s,
                     "InnerCaught": %s,
                     "Caught": {"Type": "Pass", "Parameters": {"k.$": "$.k", "caught.$": "$.err.Error"}, "End": true},
                     "After": {"Type": "Pass", "Parameters": {"k.$": "$.k", "ys.$": "$.inner.ys"}, "End": true}}},
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                                  "Parameters": {"Bucket": "%s", "Prefix": "%s"}}}
                """.formatted(Json.toString(full), tolerated, inner.replace("CATCH", ""), inner.replace("CATCH",
                ", \"Catch\": [{\"ErrorEquals\": [\"States.ALL\"], \"ResultPath\": \"$.err\", \"Next\": \"Caught\"}]"),
                OUT, prefix);
    }

    @Test
    void everyChildStartsANestedRunAndTheOuterRunSucceedsOnASingleLane() throws Exception {
        PlannerApi api = new PlannerApi(services.plannerUrl());
        String items = "[{\"k\": 1, \"xs\": [1, 2]}, {\"k\": 2, \"xs\": [3, 4, 5]}, {\"k\": 3, \"xs\": [6]},"
                + " {\"k\": 4, \"xs\": [7, 8]}]";
        JsonNode run = runToEnd(api, outer(items, "0", "", "ok"));
        assertEquals("SUCCEEDED", run.path("status").asText(), () -> run + "\nFAILED: " + records(run, "FAILED")
                + services.logs());
        assertEquals(4, run.path("itemCounts").path("succeeded").asLong(), run::toString);
        assertEquals(0, run.path("itemCounts").path("running").asLong(), run::toString);

        Map<Integer, JsonNode> outputs = outputsByK(run, "SUCCEEDED");
        assertEquals(Json.parse("{\"k\": 1, \"ys\": [11, 12]}"), outputs.get(1));
        assertEquals(Json.parse("{\"k\": 2, \"ys\": [13, 14, 15]}"), outputs.get(2));
        assertEquals(Json.parse("{\"k\": 3, \"ys\": [16]}"), outputs.get(3));
        assertEquals(Json.parse("{\"k\": 4, \"ys\": [17, 18]}"), outputs.get(4));
        assertEquals(4, outputs.size());
        List<JsonNode> nested = nestedRunsOf(api, "ok");
        assertEquals(4, nested.size(), nested::toString);
        for (JsonNode n : nested) {
            assertEquals("SUCCEEDED", n.path("status").asText(), n::toString);
            assertTrue(n.path("mapRunArn").asText().contains(":mapRun:"), n::toString);
        }
    }

    @Test
    void aFailedNestedRunFailsItsChildUnlessTheChildCatchesIt() throws Exception {
        PlannerApi api = new PlannerApi(services.plannerUrl());
        String items = "[{\"k\": 1, \"xs\": [1], \"bad\": false}, {\"k\": 2, \"xs\": [2, 3], \"bad\": true},"
                + " {\"k\": 3, \"xs\": [4], \"bad\": true, \"catch\": true}]";
        JsonNode run = runToEnd(api, outer(items, "0", "\"ToleratedFailureCount\": 1,", "fail"));
        assertEquals("SUCCEEDED", run.path("status").asText(), () -> run + "\nFAILED: " + records(run, "FAILED")
                + services.logs());
        assertEquals(2, run.path("itemCounts").path("succeeded").asLong(), run::toString);
        assertEquals(1, run.path("itemCounts").path("failed").asLong(), run::toString);

        Map<Integer, JsonNode> succeeded = outputsByK(run, "SUCCEEDED");
        assertEquals(Json.parse("{\"k\": 1, \"ys\": [11]}"), succeeded.get(1));
        assertEquals(Json.parse("{\"k\": 3, \"caught\": \"States.ExceedToleratedFailureThreshold\"}"), succeeded.get(3),
                "the child's Catch took the nested run's failure");
        List<JsonNode> failed = records(run, "FAILED");
        assertEquals(1, failed.size(), failed::toString);
        assertEquals("States.ExceedToleratedFailureThreshold", failed.get(0).path("Error").asText(), failed::toString);
        assertEquals(2, Json.parse(failed.get(0).path("Input").asText()).path("k").asInt());
    }

    @Test
    void abortingTheOuterRunAbortsTheNestedRunsItsChildrenStarted() throws Exception {
        PlannerApi api = new PlannerApi(services.plannerUrl());
        String items = "[{\"k\": 1, \"xs\": [1, 2, 3, 4, 5, 6]}, {\"k\": 2, \"xs\": [1]}]";
        PlannerApi.Answer created = api.post("/map-runs", outer(items, "5", "", "abort"));
        assertEquals(201, created.status(), () -> String.valueOf(created.body()));
        String id = created.body().path("mapRunId").asText();
        List<JsonNode> nested = List.of();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (nested.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            nested = nestedRunsOf(api, "abort");
        }
        Thread.sleep(1000); // had a second child started beside the first, it would show now
        nested = nestedRunsOf(api, "abort");
        assertEquals(1, nested.size(), () -> "one child (MaxConcurrency 1) started its nested run" + services.logs());
        assertEquals(202 / 100, api.post("/map-runs/" + id + "/abort", "{}").status() / 100);
        JsonNode run = api.awaitTerminal(id, Duration.ofMinutes(2), s -> { });
        assertEquals("ABORTED", run.path("status").asText(), () -> run + services.logs());
        JsonNode inner = api.awaitTerminal(nested.get(0).path("mapRunId").asText(), Duration.ofMinutes(1), s -> { });
        assertEquals("ABORTED", inner.path("status").asText(), inner::toString);
        assertEquals(0, run.path("itemCounts").path("running").asLong(), run::toString);
        assertEquals(0, run.path("itemCounts").path("succeeded").asLong(), run::toString);
    }

    /**
     * A worker killed while the children wait for their nested runs, and every handoff delivered once more by hand:
     * no child runs twice (one nested run each, one outcome each on map-outcomes) and the counts are exact.
     */
    @Test
    void aKilledWorkerAndARepeatedHandoffDoNotCountAChildTwice() throws Exception {
        PlannerApi api = new PlannerApi(services.plannerUrl());
        String items = "[{\"k\": 1, \"xs\": [1, 2]}, {\"k\": 2, \"xs\": [3]}, {\"k\": 3, \"xs\": [4, 5]}]";
        PlannerApi.Answer created = api.post("/map-runs", outer(items, "2", "", "kill"));
        assertEquals(201, created.status(), () -> String.valueOf(created.body()));
        String id = created.body().path("mapRunId").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (nestedRunsOf(api, "kill").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        worker.kill();
        worker = services.startWorker();
        int repeated = repeatHandoffs(id);
        assertTrue(repeated >= 1, "a handoff of the run was seen on the executions topic");

        JsonNode run = api.awaitTerminal(id, Duration.ofMinutes(3), s -> { });
        assertEquals("SUCCEEDED", run.path("status").asText(), () -> run + "\nFAILED: " + records(run, "FAILED")
                + services.logs());
        assertEquals(3, run.path("itemCounts").path("succeeded").asLong(), run::toString);
        assertEquals(3, run.path("itemCounts").path("total").asLong(), run::toString);
        assertEquals(3, run.path("executionCounts").path("succeeded").asLong(), run::toString);
        assertEquals(3, outputsByK(run, "SUCCEEDED").size());
        assertEquals(3, nestedRunsOf(api, "kill").size(), "one nested run per child");
        Map<Long, Integer> finishedByBatch = finishedOutcomes(id);
        assertEquals(Map.of(0L, 1, 1L, 1, 2L, 1), finishedByBatch, "one outcome per child on map-outcomes");
    }

    private static JsonNode runToEnd(PlannerApi api, String spec) throws Exception {
        PlannerApi.Answer created = api.post("/map-runs", spec);
        assertEquals(201, created.status(), () -> String.valueOf(created.body()));
        try {
            return api.awaitTerminal(created.body().path("mapRunId").asText(), Duration.ofMinutes(3), s -> { });
        } catch (java.io.IOException e) {
            throw new AssertionError(e.getMessage() + services.logs(), e);
        }
    }

    /** The nested map runs of the outer run with result prefix {@code prefix} (their label is "in-" + prefix). */
    private static List<JsonNode> nestedRunsOf(PlannerApi api, String prefix) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode r : api.get("/map-runs?maxResults=1000").body().path("mapRuns")) {
            if (("in-" + prefix).equals(r.path("label").asText())) {
                found.add(r);
            }
        }
        return found;
    }

    private static List<JsonNode> records(JsonNode run, String category) {
        String bucket = run.path("resultWriterDetails").path("bucket").asText();
        JsonNode manifest = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket)
                .key(run.path("resultWriterDetails").path("key").asText())).asUtf8String());
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode file : manifest.path("ResultFiles").path(category)) {
            Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key(file.path("Key").asText()))
                    .asUtf8String()).forEach(all::add);
        }
        return all;
    }

    private static Map<Integer, JsonNode> outputsByK(JsonNode run, String category) {
        Map<Integer, JsonNode> byK = new TreeMap<>();
        for (JsonNode record : records(run, category)) {
            JsonNode output = Json.parse(record.path("Output").asText());
            byK.put(output.path("k").asInt(), output);
        }
        return byK;
    }

    /** Publishes once more every handoff of run {@code mapRunId} found on the executions topic; how many. */
    private static int repeatHandoffs(String mapRunId) {
        String topic = namespace + ".executions";
        int n = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<String, byte[]> r : readAll(topic)) {
                if (r.key() != null && r.key().endsWith("#handoff") && r.value() != null
                        && Json.parse(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
                        .path("mapRunId").asText().equals(mapRunId)) {
                    producer.send(new ProducerRecord<>(topic, r.partition(), r.key(), r.value()));
                    n++;
                }
            }
            producer.flush();
        }
        return n;
    }

    /** ExecutionFinished events of run {@code mapRunId} on map-outcomes, counted by batch index. */
    private static Map<Long, Integer> finishedOutcomes(String mapRunId) {
        Map<Long, Integer> byBatch = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(namespace + ".map-outcomes")) {
            if (mapRunId.equals(r.key())) {
                OutcomeEvent e = Json.fromBytes(r.value(), OutcomeEvent.class);
                if (e instanceof ExecutionFinished f) {
                    byBatch.merge(f.batchIndex(), 1, Integer::sum);
                }
            }
        }
        return byBatch;
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                c.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }
}
