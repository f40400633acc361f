package io.dmap.aggregator.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.common.events.AbortRequested;
import io.dmap.common.events.BatchInputRef;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStarted;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.events.OutputType;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.ResultsWritten;
import io.dmap.common.events.RunConfig;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.events.RunRequested;
import io.dmap.common.events.RunStatus;
import io.dmap.common.events.Transformation;
import io.dmap.common.json.Json;
import io.dmap.common.json.JsonSerde;
import io.dmap.common.spec.Arns;
import io.dmap.common.topics.Topics;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AggregatorTopologyTest {

    private static final Topics TOPICS = Topics.of("t");
    private static final String RUN = "run-1";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final RunConfig.ResultWriterConfig WRITER =
            new RunConfig.ResultWriterConfig("results", "out", OutputType.JSON, Transformation.NONE);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, RunEvent> runs;
    private TestInputTopic<String, OutcomeEvent> outcomes;
    private TestOutputTopic<String, MapRunStatus> status;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dmap-aggregator-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(AggregatorTopology.build(TOPICS), props);
        runs = driver.createInputTopic(TOPICS.runs(), new StringSerializer(), JsonSerde.of(RunEvent.class));
        outcomes = driver.createInputTopic(TOPICS.outcomes(), new StringSerializer(), JsonSerde.of(OutcomeEvent.class));
        status = driver.createOutputTopic(TOPICS.status(), new StringDeserializer(), JsonSerde.of(MapRunStatus.class));
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    // --- de-duplication and counting

    @Test
    void redeliveredBatchIsCountedOnce() {
        request(null, null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 5, 2, T0));
        started(0, 2);
        succeeded(0, 2);
        succeeded(0, 2);                       // the worker crashed before committing: redelivered
        failed(0, 2, ExecutionStatus.FAILED);  // a second run of the same batch that failed this time
        started(0, 2);                         // a late start after the outcome
        MapRunStatus s = latest();
        assertEquals(2, s.itemCounts().succeeded());
        assertEquals(0, s.itemCounts().failed());
        assertEquals(0, s.itemCounts().running());
        assertEquals(1, s.executionCounts().succeeded());
        assertEquals(3, s.itemCounts().pending());
        assertEquals(1, s.executionCounts().pending());
        assertFalse(s.stopping());

        ExecutionRecord record = executions().get(AggregatorTopology.executionKey(RUN, 0));
        assertEquals(ExecutionStatus.SUCCEEDED, record.executionStatus());
        assertEquals("run-1/000000000000", AggregatorTopology.executionKey(RUN, 0));
    }

    @Test
    void anInputPassedByClaimCheckIsKeptByReference() {
        request(null, null);
        BatchMessage big = batch(0, 1).withInputRef(new BatchInputRef("claims", "run-1/0.json"));
        outcomes.pipeInput(RUN, ExecutionFinished.succeeded(big, Json.parse("1"), T0, T0, "w1"));
        ExecutionRecord record = executions().get(AggregatorTopology.executionKey(RUN, 0));
        assertNull(record.input());
        assertEquals(new BatchInputRef("claims", "run-1/0.json"), record.inputRef());
    }

    @Test
    void secondStartIsDroppedAndRunningCountsFollowStartsAndOutcomes() {
        request(null, null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 10, 3, T0));
        started(0, 4);
        started(1, 4);
        started(1, 4);
        MapRunStatus s = latest();
        assertEquals(8, s.itemCounts().running());
        assertEquals(2, s.executionCounts().running());
        assertEquals(2, s.itemCounts().pending());
        assertEquals(1, s.executionCounts().pending());
        assertEquals(10, s.itemCounts().total());
        assertEquals(3, s.executionCounts().total());

        succeeded(0, 4);
        s = latest();
        assertEquals(4, s.itemCounts().running());
        assertEquals(4, s.itemCounts().succeeded());
        assertEquals(1, s.executionCounts().running());
        assertEquals(1, s.executionCounts().succeeded());
    }

    @Test
    void unchangedStateIsNotRepublished() {
        request(null, null);
        started(0, 1);
        snapshots();
        started(0, 1);
        assertTrue(snapshots().isEmpty());
    }

    // --- coalesced snapshots

    @Test
    void countOnlyChangesAreCoalescedIntoOneSnapshotPerFlushIntervalWhilePhaseChangesGoOutAtOnce() {
        request(null, null);
        assertEquals(List.of(RunPhase.PLANNING), status.readValuesToList().stream().map(MapRunStatus::phase).toList(),
                "a new run's first snapshot goes out at once");
        runs.pipeInput(RUN, RunPlanned.of(RUN, 30, 3, T0));
        assertEquals(List.of(RunPhase.RUNNING), status.readValuesToList().stream().map(MapRunStatus::phase).toList(),
                "a phase change goes out at once");

        started(0, 10);
        succeeded(0, 10);
        started(1, 10);
        assertTrue(status.isEmpty(), "count-only changes wait for the flush");
        driver.advanceWallClockTime(AggregatorTopology.DEFAULT_FLUSH_INTERVAL);
        List<MapRunStatus> flushed = status.readValuesToList();
        assertEquals(1, flushed.size(), "one snapshot for three changes");
        assertEquals(10, flushed.get(0).itemCounts().succeeded());
        assertEquals(10, flushed.get(0).itemCounts().running());
        driver.advanceWallClockTime(AggregatorTopology.DEFAULT_FLUSH_INTERVAL);
        assertTrue(status.isEmpty(), "nothing changed since: nothing published");

        failed(1, 10, ExecutionStatus.FAILED); // exceeds the default tolerance of 0: stopping turns true
        List<MapRunStatus> stopping = status.readValuesToList();
        assertEquals(1, stopping.size(), "a stopping change goes out at once, without waiting for the flush");
        assertTrue(stopping.get(0).stopping());
        assertEquals(10, stopping.get(0).itemCounts().failed(), "with the counts up to it");
        driver.advanceWallClockTime(AggregatorTopology.DEFAULT_FLUSH_INTERVAL);
        assertTrue(status.isEmpty(), "the immediate snapshot covered the pending count changes");
    }

    @Test
    void aCountChangeMarkedBeforeACrashIsStillPublishedFromTheStore() {
        request(null, null);
        status.readValuesToList();
        started(0, 4);
        KeyValueStore<String, Long> pending = driver.getKeyValueStore(AggregatorTopology.STATUS_PENDING_STORE);
        assertNotNull(pending.get(RUN), "the unpublished change is a store entry, committed with the state");
        driver.advanceWallClockTime(AggregatorTopology.DEFAULT_FLUSH_INTERVAL);
        assertEquals(4, latestNoFlush().itemCounts().running());
        assertNull(pending.get(RUN));
    }

    // --- tolerated failure threshold

    @Test
    void failureCountAtTheLimitPassesAndOneMoreFails() {
        request(2, null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 10, 10, T0));
        failed(0, 1, ExecutionStatus.FAILED);
        failed(1, 1, ExecutionStatus.TIMED_OUT);
        MapRunStatus s = latest();
        assertFalse(s.stopping(), "2 failures with ToleratedFailureCount 2 are tolerated");
        assertNull(s.error());

        failed(2, 1, ExecutionStatus.FAILED);
        s = latest();
        assertTrue(s.stopping());
        assertEquals("States.ExceedToleratedFailureThreshold", s.error());
        assertTrue(s.cause().startsWith("The specified tolerated failure threshold was exceeded"), s.cause());
        assertEquals(RunStatus.RUNNING, s.status(), "terminal only once results are written");
    }

    @Test
    void failurePercentageExactlyAtTheLimitPassesAndAboveFails() {
        request(null, 20.0);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 10, 10, T0));
        failed(0, 1, ExecutionStatus.FAILED);
        failed(1, 1, ExecutionStatus.FAILED);
        assertFalse(latest().stopping(), "2 of 10 = 20% is tolerated");
        failed(2, 1, ExecutionStatus.FAILED);
        MapRunStatus s = latest();
        assertTrue(s.stopping(), "3 of 10 = 30% exceeds 20%");
        assertEquals("States.ExceedToleratedFailureThreshold", s.error());
    }

    @Test
    void percentageIsJudgedWhenTheTotalBecomesKnown() {
        request(null, 10.0);
        failed(0, 1, ExecutionStatus.FAILED);
        failed(1, 1, ExecutionStatus.FAILED);
        assertFalse(latest().stopping(), "total unknown while planning: the percentage cannot be judged");
        runs.pipeInput(RUN, RunPlanned.of(RUN, 10, 10, T0));
        assertTrue(latest().stopping(), "2 of 10 = 20% exceeds 10%");
    }

    @Test
    void withoutToleranceOneFailureFailsTheRun() {
        request(null, null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 10, 10, T0));
        succeeded(0, 1);
        assertFalse(latest().stopping());
        failed(1, 1, ExecutionStatus.TIMED_OUT);
        MapRunStatus s = latest();
        assertTrue(s.stopping());
        assertEquals("States.ExceedToleratedFailureThreshold", s.error());
    }

    @Test
    void abortedExecutionsDoNotCountAsFailures() {
        request(null, null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 10, 10, T0));
        failed(0, 1, ExecutionStatus.ABORTED);
        MapRunStatus s = latest();
        assertFalse(s.stopping());
        assertEquals(1, s.itemCounts().aborted());
    }

    // --- decisions and phases

    @Test
    void phasesRunFromPlanningToDoneAndSucceed() {
        request(null, null);
        assertEquals(RunPhase.PLANNING, latest().phase());
        started(0, 2);
        succeeded(0, 2);
        assertEquals(RunPhase.PLANNING, latest().phase(), "batches run while planning goes on");
        runs.pipeInput(RUN, RunPlanned.of(RUN, 3, 2, T0));
        assertEquals(RunPhase.RUNNING, latest().phase());
        succeeded(1, 1);
        MapRunStatus s = latest();
        assertEquals(RunPhase.WRITING_RESULTS, s.phase());
        assertEquals(RunStatus.RUNNING, s.status());
        assertNull(s.stopDate());

        Instant end = T0.plusSeconds(60);
        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "out/run-1/manifest.json", 3, end));
        s = latest();
        assertEquals(RunPhase.DONE, s.phase());
        assertEquals(RunStatus.SUCCEEDED, s.status());
        assertEquals(end, s.stopDate());
        assertEquals(new MapRunStatus.ResultWriterDetails("results", "out/run-1/manifest.json"), s.resultWriterDetails());
        assertEquals(3, s.itemCounts().resultsWritten());
        assertEquals(2, s.executionCounts().resultsWritten());
        assertEquals(3, s.itemCounts().succeeded());
        assertEquals(0, s.itemCounts().pending());
        assertEquals(Arns.mapRun("lbl", RUN), s.mapRunArn());
        assertEquals("lbl", s.label());
        assertEquals(T0, s.startDate());
        assertNull(s.error());

        runs.pipeInput(RUN, ResultsWritten.failed(RUN, "States.ResultWriterFailed", "late", end));
        assertTrue(snapshots().isEmpty(), "a late second ResultsWritten changes nothing");
    }

    @Test
    void aRunThatIsDoneGetsATombstoneForItsDefinitionOnce() {
        TestOutputTopic<String, String> definitions = driver.createOutputTopic(TOPICS.definitions(),
                new StringDeserializer(), new StringDeserializer());
        request(null, null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 1, 1, T0));
        succeeded(0, 1);
        assertEquals(RunPhase.WRITING_RESULTS, latest().phase());
        assertTrue(definitions.isEmpty(), "the definition stays while the run has batches to run");

        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "out/run-1/manifest.json", 1, T0));
        assertEquals(RunPhase.DONE, latest().phase());
        List<org.apache.kafka.streams.test.TestRecord<String, String>> written = definitions.readRecordsToList();
        assertEquals(1, written.size());
        assertEquals(RUN, written.get(0).key());
        assertNull(written.get(0).value(), "a tombstone");

        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "out/run-1/manifest.json", 1, T0));
        assertTrue(definitions.isEmpty(), "a rewrite after the run is done retires nothing again");
    }

    @Test
    void resultWriterFailureFailsTheRun() {
        request(null, null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 1, 1, T0));
        succeeded(0, 1);
        runs.pipeInput(RUN, ResultsWritten.failed(RUN, "States.ResultWriterFailed",
                "Could not write the result files to s3://results/out/run-1/: NoSuchBucket", T0.plusSeconds(5)));
        MapRunStatus s = latest();
        assertEquals(RunPhase.DONE, s.phase());
        assertEquals(RunStatus.FAILED, s.status());
        assertEquals("States.ResultWriterFailed", s.error());
        assertTrue(s.cause().contains("NoSuchBucket"));
        assertNull(s.resultWriterDetails());
        assertEquals(0, s.itemCounts().resultsWritten());
    }

    @Test
    void abortStopsTheRunAndEndsAborted() {
        request(null, null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 3, 3, T0));
        succeeded(0, 1);
        runs.pipeInput(RUN, AbortRequested.of(RUN, T0));
        MapRunStatus s = latest();
        assertTrue(s.stopping());
        assertEquals(RunStatus.RUNNING, s.status());
        assertEquals(RunPhase.RUNNING, s.phase());

        failed(1, 1, ExecutionStatus.ABORTED);
        notStarted(2, 1);
        s = latest();
        assertEquals(RunPhase.WRITING_RESULTS, s.phase());
        assertEquals(1, s.itemCounts().pending(), "never started counts as pending");
        assertEquals(1, s.itemCounts().aborted());

        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "out/run-1/manifest.json", 3, T0));
        s = latest();
        assertEquals(RunStatus.ABORTED, s.status());
        assertEquals(RunPhase.DONE, s.phase());
    }

    @Test
    void abortAfterAFailureKeepsTheFailure() {
        request(null, null);
        runs.pipeInput(RUN, RunPlanned.of(RUN, 2, 2, T0));
        failed(0, 1, ExecutionStatus.FAILED);
        runs.pipeInput(RUN, AbortRequested.of(RUN, T0));
        notStarted(1, 1);
        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "k", 2, T0));
        MapRunStatus s = latest();
        assertEquals(RunStatus.FAILED, s.status());
        assertEquals("States.ExceedToleratedFailureThreshold", s.error());
    }

    @Test
    void planningFailureFailsTheRunOnceThePublishedBatchesAreAccountedFor() {
        request(null, null);
        started(0, 2);
        runs.pipeInput(RUN, PlanningFailed.of(RUN, "States.ItemReaderFailed", "cannot read s3://in/data.csv line 7", 3, 2, T0));
        MapRunStatus s = latest();
        assertTrue(s.stopping());
        assertEquals(RunPhase.RUNNING, s.phase());
        assertEquals(3, s.itemCounts().total());
        assertEquals(2, s.executionCounts().total());

        succeeded(0, 2);
        notStarted(1, 1);
        assertEquals(RunPhase.WRITING_RESULTS, latest().phase());
        runs.pipeInput(RUN, ResultsWritten.ok(RUN, "results", "k", 3, T0));
        s = latest();
        assertEquals(RunStatus.FAILED, s.status());
        assertEquals("States.ItemReaderFailed", s.error());
        assertEquals("cannot read s3://in/data.csv line 7", s.cause());
    }

    @Test
    void planningFailureBeforeAnyBatchGoesStraightToWritingResults() {
        request(null, null);
        runs.pipeInput(RUN, PlanningFailed.of(RUN, "States.ItemReaderFailed", "no such key", 0, 0, T0));
        assertEquals(RunPhase.WRITING_RESULTS, latest().phase());
    }

    @Test
    void outcomesBeforeTheRequestAreKeptAndJudgedOnceTheConfigArrives() {
        failed(0, 1, ExecutionStatus.FAILED);
        assertFalse(latest().stopping(), "no tolerances known yet");
        request(1, null);
        MapRunStatus s = latest();
        assertFalse(s.stopping());
        assertEquals(1, s.itemCounts().failed());
        assertEquals("lbl", s.label());
        failed(1, 1, ExecutionStatus.FAILED);
        assertTrue(latest().stopping(), "2 failures exceed ToleratedFailureCount 1");
    }

    // --- helpers

    private void request(Integer count, Double percentage) {
        RunConfig config = new RunConfig("lbl", 0, count, percentage, WRITER);
        runs.pipeInput(RUN, RunRequested.of(RUN, null, T0, config, Json.parse("{}")));
    }

    private void started(long batch, int items) {
        outcomes.pipeInput(RUN, ExecutionStarted.of(RUN, batch, items, T0, "w1"));
    }

    private void succeeded(long batch, int items) {
        outcomes.pipeInput(RUN, ExecutionFinished.succeeded(batch(batch, items), Json.parse("{\"ok\":true}"), T0, T0, "w1"));
    }

    private void failed(long batch, int items, ExecutionStatus status) {
        outcomes.pipeInput(RUN, ExecutionFinished.failed(batch(batch, items), status, "States.TaskFailed", "boom", T0, T0, "w1"));
    }

    private void notStarted(long batch, int items) {
        outcomes.pipeInput(RUN, ExecutionFinished.notStarted(batch(batch, items), T0, "w1"));
    }

    private static BatchMessage batch(long index, int items) {
        JsonNode input = Json.parse("{\"Items\":[]}");
        return BatchMessage.of(RUN, index, index * 10, items, input, Json.parse("{}"));
    }

    private MapRunStatus latestNoFlush() {
        List<MapRunStatus> values = status.readValuesToList();
        assertEquals(1, values.size());
        return values.get(0);
    }

    /** The snapshots published so far, after the flush interval has passed (count-only changes are coalesced). */
    private List<MapRunStatus> snapshots() {
        driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        return status.readValuesToList();
    }

    private MapRunStatus latest() {
        List<MapRunStatus> values = snapshots();
        assertFalse(values.isEmpty(), "a status snapshot was published");
        MapRunStatus last = values.get(values.size() - 1);
        assertNotNull(last);
        assertEquals(RUN, last.mapRunId());
        return last;
    }

    private KeyValueStore<String, ExecutionRecord> executions() {
        return driver.getKeyValueStore(AggregatorTopology.EXECUTIONS_STORE);
    }
}
