package io.dmap.aggregator.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.common.events.AbortRequested;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStarted;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.ItemError;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.events.OutputType;
import io.dmap.common.events.RedriveRequested;
import io.dmap.common.events.ResultsWritten;
import io.dmap.common.events.RunConfig;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.events.RunRequested;
import io.dmap.common.events.RunStatus;
import io.dmap.common.events.RunUpdated;
import io.dmap.common.events.Transformation;
import io.dmap.common.json.Json;
import io.dmap.common.json.JsonSerde;
import io.dmap.common.spec.Placement;
import io.dmap.common.topics.Topics;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RedriveMapRun and UpdateMapRun as the topology applies them. */
class RedriveAndUpdateTest {

    private static final Topics TOPICS = Topics.of("t");
    private static final String RUN = "run-r";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final JsonNode PROCESSOR = Json.parse(
            "{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\"},\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, RunEvent> runs;
    private TestInputTopic<String, OutcomeEvent> outcomes;
    private TestOutputTopic<String, MapRunStatus> status;
    private TestOutputTopic<String, BatchMessage> batches;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dmap-aggregator-redrive-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(AggregatorTopology.build(TOPICS), props);
        runs = driver.createInputTopic(TOPICS.runs(), new StringSerializer(), JsonSerde.of(RunEvent.class));
        outcomes = driver.createInputTopic(TOPICS.outcomes(), new StringSerializer(), JsonSerde.of(OutcomeEvent.class));
        status = driver.createOutputTopic(TOPICS.status(), new StringDeserializer(), JsonSerde.of(MapRunStatus.class));
        batches = driver.createOutputTopic(TOPICS.batches(), new StringDeserializer(), JsonSerde.of(BatchMessage.class));
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    // --- redrive

    @Test
    void redriveRerunsOnlyTheUnsuccessfulBatchesAndEndsWithTheSuccessesOfEveryAttempt() {
        failedRunOfFiveBatches();
        runs.pipeInput(RUN, RedriveRequested.of(RUN, T0.plusSeconds(100)));

        Map<String, BatchMessage> redriven = batches.readKeyValuesToList().stream()
                .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
        assertEquals(Set.of(RUN + "/1", RUN + "/2", RUN + "/3", RUN + "/4"), redriven.keySet(),
                "failed, timed-out, aborted and never-started batches, not the succeeded one");
        for (BatchMessage b : redriven.values()) {
            assertEquals(1, b.redriveCount());
            assertEquals(PROCESSOR, b.processor(), "the ItemProcessor of the request");
            assertEquals(input(b.batchIndex()), b.input(), "the input the execution had");
            assertEquals(2, b.itemCount());
            assertNull(b.readerError());
        }
        MapRunStatus s = latest();
        assertEquals(RunStatus.RUNNING, s.status());
        assertEquals(RunPhase.RUNNING, s.phase());
        assertFalse(s.stopping());
        assertNull(s.error());
        assertNull(s.cause());
        assertNull(s.stopDate());
        assertEquals(1, s.redriveCount());
        assertEquals(T0.plusSeconds(100), s.redriveDate());
        assertEquals(2, s.itemCounts().succeeded());
        assertEquals(0, s.itemCounts().failed());
        assertEquals(0, s.itemCounts().timedOut());
        assertEquals(0, s.itemCounts().aborted());
        assertEquals(8, s.itemCounts().pending());
        assertEquals(4, s.executionCounts().pending());
        assertEquals(10, s.itemCounts().total());

        // a late redelivery of the first attempt's outcome must not count for the redriven batch
        outcomes.pipeInput(RUN, ExecutionFinished.failed(batch(1, 0), ExecutionStatus.FAILED, "E", "old", T0, T0, "w1"));
        assertTrue(snapshots().isEmpty(), "an outcome of an earlier attempt is dropped");

        outcomes.pipeInput(RUN, ExecutionStarted.of(RUN, 1, 2, T0.plusSeconds(101), "w2"));
        assertEquals(2, latest().itemCounts().running());
        for (long b = 1; b <= 4; b++) {
            outcomes.pipeInput(RUN, ExecutionFinished.succeeded(batch(b, 1), Json.parse("{\"b\":" + b + "}"), T0, T0, "w2"));
        }
        outcomes.pipeInput(RUN, ExecutionFinished.failed(batch(2, 1), ExecutionStatus.FAILED, "E", "dup", T0, T0, "w3"));
        s = latest();
        assertEquals(RunPhase.WRITING_RESULTS, s.phase());
        assertEquals(10, s.itemCounts().succeeded());
        assertEquals(0, s.itemCounts().running());
        assertEquals(0, s.itemCounts().failed(), "the duplicate of the redrive attempt is dropped too");

        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "out/run-r/manifest.json", 10, T0.plusSeconds(200)));
        s = latest();
        assertEquals(RunPhase.DONE, s.phase());
        assertEquals(RunStatus.SUCCEEDED, s.status());
        assertEquals(T0.plusSeconds(200), s.stopDate());
        assertEquals(1, s.redriveCount());

        ExecutionRecord first = executions().get(AggregatorTopology.executionKey(RUN, 0));
        assertEquals(0, first.redriveCount());
        ExecutionRecord again = executions().get(AggregatorTopology.executionKey(RUN, 1));
        assertEquals(ExecutionStatus.SUCCEEDED, again.executionStatus());
        assertEquals(1, again.redriveCount());
        assertEquals(Json.parse("{\"b\":1}"), VerbatimJsonSerde.tree(again.output()), "the outcome of the redrive attempt");
    }

    @Test
    void aRedriveThatFailsAgainCanBeRedrivenAgainAndOnlyItsFailuresGoBack() {
        failedRunOfFiveBatches();
        runs.pipeInput(RUN, RedriveRequested.of(RUN, T0));
        batches.readKeyValuesToList();
        outcomes.pipeInput(RUN, ExecutionFinished.succeeded(batch(1, 1), Json.parse("1"), T0, T0, "w"));
        outcomes.pipeInput(RUN, ExecutionFinished.failed(batch(2, 1), ExecutionStatus.FAILED, "E", "again", T0, T0, "w"));
        assertTrue(latest().stopping(), "the threshold is judged again");
        outcomes.pipeInput(RUN, ExecutionFinished.notStarted(batch(3, 1), T0, "w"));
        outcomes.pipeInput(RUN, ExecutionFinished.notStarted(batch(4, 1), T0, "w"));
        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "k", 10, T0));
        MapRunStatus s = latest();
        assertEquals(RunStatus.FAILED, s.status());
        assertEquals(2, s.itemCounts().failed());
        assertEquals(4, s.itemCounts().pending());

        runs.pipeInput(RUN, RedriveRequested.of(RUN, T0));
        List<KeyValue<String, BatchMessage>> second = batches.readKeyValuesToList();
        assertEquals(List.of(RUN + "/2", RUN + "/3", RUN + "/4"), second.stream().map(kv -> kv.key).toList());
        assertTrue(second.stream().allMatch(kv -> kv.value.redriveCount() == 2));
        s = latest();
        assertEquals(2, s.redriveCount());
        assertEquals(4, s.itemCounts().succeeded());
        assertEquals(6, s.itemCounts().pending());
    }

    @Test
    void onlyAFailedOrAbortedRunThatIsDoneIsRedriven() {
        request(null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 2, 1, T0));
        runs.pipeInput(RUN, RedriveRequested.of(RUN, T0));
        assertTrue(batches.isEmpty(), "running: nothing to redrive");
        assertEquals(0, latest().redriveCount());

        outcomes.pipeInput(RUN, ExecutionFinished.succeeded(batch(0, 0), Json.parse("1"), T0, T0, "w"));
        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "k", 2, T0));
        assertEquals(RunStatus.SUCCEEDED, latest().status());
        runs.pipeInput(RUN, RedriveRequested.of(RUN, T0));
        assertTrue(batches.isEmpty(), "succeeded: nothing to redrive");
        assertTrue(snapshots().isEmpty());
    }

    @Test
    void anAbortedRunIsRedrivenAndAnUnreadableItemStaysUnreadable() {
        request(null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 3, 2, T0));
        BatchMessage bad = BatchMessage.unreadable(RUN, 0, 0, Json.parse("{\"line\":1,\"raw\":\"{\"}"), PROCESSOR,
                new ItemError(ItemError.MALFORMED_ITEM, "not JSON"));
        runs.pipeInput(RUN, AbortRequested.of(RUN, T0));
        outcomes.pipeInput(RUN, ExecutionFinished.failed(bad, ExecutionStatus.ABORTED, ItemError.MALFORMED_ITEM,
                "not JSON", null, T0, "w"));
        outcomes.pipeInput(RUN, ExecutionFinished.notStarted(batch(1, 0), T0, "w"));
        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "k", 3, T0));
        assertEquals(RunStatus.ABORTED, latest().status());

        runs.pipeInput(RUN, RedriveRequested.of(RUN, T0));
        Map<String, BatchMessage> redriven = batches.readKeyValuesToList().stream()
                .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
        assertEquals(new ItemError(ItemError.MALFORMED_ITEM, "not JSON"), redriven.get(RUN + "/0").readerError());
        assertNull(redriven.get(RUN + "/1").readerError());
        assertEquals(RunStatus.RUNNING, latest().status());
    }

    @Test
    void aRedriveOfMoreBatchesThanAPageRepublishesEachOnce() {
        int n = MapRunProcessor.REDRIVE_PAGE * 2 + 7;
        request(null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 2L * n, n, T0));
        runs.pipeInput(RUN, AbortRequested.of(RUN, T0));
        outcomes.pipeInput(RUN, ExecutionFinished.succeeded(batch(0, 0), Json.parse("1"), T0, T0, "w"));
        for (long b = 1; b < n; b++) {
            outcomes.pipeInput(RUN, ExecutionFinished.notStarted(batch(b, 0), T0, "w"));
        }
        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "k", 2L * n, T0));
        assertEquals(RunStatus.ABORTED, latest().status());

        runs.pipeInput(RUN, RedriveRequested.of(RUN, T0));
        List<String> keys = batches.readKeyValuesToList().stream().map(kv -> kv.key).toList();
        assertEquals(n - 1, keys.size());
        assertEquals(n - 1, Set.copyOf(keys).size(), "each batch once");
        MapRunStatus s = latest();
        assertEquals(2L * (n - 1), s.itemCounts().pending());
        assertEquals(n - 1, s.executionCounts().pending());
    }

    @Test
    void redrivenBatchesArePlacedAsThePlannerPlacesThem() {
        BatchMessage b = new BatchMessage(1, RUN, 7, -1, 1, null, PROCESSOR, 1);
        for (int m : new int[]{0, 1, 3, 40}) {
            assertEquals(Optional.of(Set.of(Placement.partitionFor(RUN, 7, m, 12))),
                    RedriveBatch.placement().partitions("t.map-batches", b.key(), new RedriveBatch(b, m), 12));
        }
    }

    // --- update

    @Test
    void raisedToleranceLetsMoreFailuresPassAndLoweredToleranceFailsAtOnce() {
        request(1);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 10, 5, T0));
        runs.pipeInput(RUN, RunUpdated.of(RUN, 4, null, 3, T0));
        MapRunStatus s = latest();
        assertEquals(4, s.toleratedFailureCount());
        assertEquals(3, s.maxConcurrency());
        assertEquals(0.0, s.toleratedFailurePercentage());

        outcomes.pipeInput(RUN, ExecutionFinished.failed(batch(0, 0), ExecutionStatus.FAILED, "E", "c", T0, T0, "w"));
        outcomes.pipeInput(RUN, ExecutionFinished.failed(batch(1, 0), ExecutionStatus.FAILED, "E", "c", T0, T0, "w"));
        assertFalse(latest().stopping(), "4 items failed: more than the original 1, exactly the updated 4");

        runs.pipeInput(RUN, RunUpdated.of(RUN, null, 40.0, null, T0));
        s = latest();
        assertFalse(s.stopping(), "4 of 10 items failed is exactly 40%: tolerated");
        assertEquals(4, s.toleratedFailureCount(), "a field left out is unchanged");
        runs.pipeInput(RUN, RunUpdated.of(RUN, null, 39.0, null, T0));
        s = latest();
        assertTrue(s.stopping(), "40% exceed the new ToleratedFailurePercentage 39, judged at once");
        assertEquals("States.ExceedToleratedFailureThreshold", s.error());
        assertEquals(39.0, s.toleratedFailurePercentage());
        assertEquals(3, s.maxConcurrency());
    }

    @Test
    void aRunAParentExecutionStartedKeepsTheArnItGaveIt() {
        String parentArn = "arn:dmap:states:local:000000000000:mapRun:orders/lbl:" + RUN;
        RunConfig config = new RunConfig("lbl", 0, null, null, null, parentArn);
        runs.pipeInput(RUN, RunRequested.of(RUN, null, T0, config,
                Json.MAPPER.createObjectNode().set("ItemProcessor", PROCESSOR)));
        runs.pipeInput(RUN, RunPlanned.of(RUN, 2, 1, T0));
        assertEquals(parentArn, latest().mapRunArn(), "AWS's form, not ...:mapRun:dmap/lbl:...");
        runs.pipeInput(RUN, RunUpdated.of(RUN, 3, null, null, T0));
        assertEquals(parentArn, latest().mapRunArn(), "an UpdateMapRun keeps it");
    }

    @Test
    void anUpdateOnceTheResultsAreBeingWrittenChangesNothing() {
        request(null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 2, 1, T0));
        outcomes.pipeInput(RUN, ExecutionFinished.succeeded(batch(0, 0), Json.parse("1"), T0, T0, "w"));
        assertEquals(RunPhase.WRITING_RESULTS, latest().phase());
        runs.pipeInput(RUN, RunUpdated.of(RUN, 5, 5.0, 5, T0));
        assertTrue(snapshots().isEmpty());
    }

    // --- abort while planning

    @Test
    void anAbortWhilePlanningEndsOnceThePlannedBatchesAreAccountedFor() {
        request(null);
        runs.pipeInput(RUN, AbortRequested.of(RUN, T0));
        MapRunStatus s = latest();
        assertTrue(s.stopping());
        assertEquals(RunPhase.PLANNING, s.phase(), "the total is not known yet: wait for it");
        outcomes.pipeInput(RUN, ExecutionFinished.notStarted(batch(0, 0), T0, "w"));
        assertEquals(RunPhase.PLANNING, latest().phase());
        runs.pipeInput(RUN, RunPlanned.of(RUN, 4, 2, T0)); // the planner stops early and reports what it published
        assertEquals(RunPhase.RUNNING, latest().phase());
        outcomes.pipeInput(RUN, ExecutionFinished.notStarted(batch(1, 0), T0, "w"));
        s = latest();
        assertEquals(RunPhase.WRITING_RESULTS, s.phase());
        assertEquals(4, s.itemCounts().pending());
        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "k", 4, T0));
        assertEquals(RunStatus.ABORTED, latest().status());
    }

    // --- helpers

    /** 5 batches of 2 items: 0 succeeds, 1 fails, 2 times out, 3 is aborted, 4 never starts; ends FAILED. */
    private void failedRunOfFiveBatches() {
        request(null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 10, 5, T0));
        outcomes.pipeInput(RUN, ExecutionStarted.of(RUN, 0, 2, T0, "w1"));
        outcomes.pipeInput(RUN, ExecutionFinished.succeeded(batch(0, 0), Json.parse("{\"b\":0}"), T0, T0, "w1"));
        outcomes.pipeInput(RUN, ExecutionFinished.failed(batch(1, 0), ExecutionStatus.FAILED, "States.TaskFailed", "boom", T0, T0, "w1"));
        outcomes.pipeInput(RUN, ExecutionFinished.failed(batch(2, 0), ExecutionStatus.TIMED_OUT, "States.Timeout", "slow", T0, T0, "w1"));
        outcomes.pipeInput(RUN, ExecutionFinished.failed(batch(3, 0), ExecutionStatus.ABORTED, "States.Aborted", "stop", T0, T0, "w1"));
        outcomes.pipeInput(RUN, ExecutionFinished.notStarted(batch(4, 0), T0, "w1"));
        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "out/run-r/manifest.json", 10, T0.plusSeconds(50)));
        MapRunStatus s = latest();
        assertEquals(RunStatus.FAILED, s.status());
        assertEquals("States.ExceedToleratedFailureThreshold", s.error());
        assertEquals(0, s.redriveCount());
        assertTrue(batches.isEmpty());
    }

    private void request(Integer toleratedCount) {
        RunConfig config = new RunConfig("lbl", 0, toleratedCount, null,
                new RunConfig.ResultWriterConfig("results", "out", OutputType.JSON, Transformation.NONE));
        JsonNode spec = Json.MAPPER.createObjectNode().set("ItemProcessor", PROCESSOR);
        runs.pipeInput(RUN, RunRequested.of(RUN, null, T0, config, spec));
    }

    private static JsonNode input(long index) {
        return Json.parse("{\"Items\":[" + index + "," + (index + 100) + "]}");
    }

    private static BatchMessage batch(long index, int redriveCount) {
        return new BatchMessage(1, RUN, index, index * 2, 2, input(index), PROCESSOR, redriveCount);
    }

    /** The snapshots published so far, after the flush interval has passed (count-only changes are coalesced). */
    private List<MapRunStatus> snapshots() {
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        return status.readValuesToList();
    }

    private MapRunStatus latest() {
        List<MapRunStatus> values = snapshots();
        assertFalse(values.isEmpty(), "a status snapshot was published");
        return values.get(values.size() - 1);
    }

    private KeyValueStore<String, ExecutionRecord> executions() {
        return driver.getKeyValueStore(AggregatorTopology.EXECUTIONS_STORE);
    }
}
