package io.dmap.common.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The run vocabulary became enums without changing the wire: records written when these fields were strings read
 * back typed, and write the same JSON again.
 */
class VocabularyJsonTest {

    private static final String COUNTS = "{\"pending\":0,\"running\":0,\"succeeded\":3,\"failed\":1,\"timedOut\":0,"
            + "\"aborted\":0,\"total\":4,\"resultsWritten\":4}";

    @Test
    void aSnapshotWrittenWithStringsReadsTypedAndWritesTheSameJson() {
        String old = "{\"v\":1,\"mapRunId\":\"r\",\"mapRunArn\":\"arn:r\",\"name\":\"n\",\"label\":\"l\","
                + "\"status\":\"FAILED\",\"phase\":\"DONE\",\"stopping\":true,\"startDate\":\"2026-12-01T00:00:00Z\","
                + "\"stopDate\":\"2026-12-01T00:01:00Z\",\"maxConcurrency\":4,\"toleratedFailurePercentage\":2.5,"
                + "\"toleratedFailureCount\":0,\"itemCounts\":" + COUNTS + ",\"executionCounts\":" + COUNTS + ","
                + "\"error\":\"States.ExceedToleratedFailureThreshold\",\"cause\":\"c\","
                + "\"resultWriterDetails\":{\"bucket\":\"b\",\"key\":\"k\"},\"updatedAt\":\"2026-12-01T00:01:00Z\","
                + "\"redriveCount\":0,\"redriveDate\":null}";

        MapRunStatus read = Json.fromBytes(old.getBytes(), MapRunStatus.class);

        assertEquals(RunStatus.FAILED, read.status());
        assertEquals(RunPhase.DONE, read.phase());
        assertEquals(Json.parse(old), Json.parse(new String(Json.toBytes(read))));
    }

    @Test
    void aSnapshotWithoutStatusCountsAsEnded() {
        MapRunStatus read = Json.fromBytes("{\"v\":1,\"mapRunId\":\"r\"}".getBytes(), MapRunStatus.class);
        assertNull(read.status());
        assertEquals(true, read.terminal());
    }

    @Test
    void aResultWriterConfigKeepsItsNamesAndItsDefaults() {
        RunConfig.ResultWriterConfig typed = Json.fromBytes(
                "{\"bucket\":\"b\",\"prefix\":\"p\",\"outputType\":\"JSONL\",\"transformation\":\"COMPACT\"}".getBytes(),
                RunConfig.ResultWriterConfig.class);
        assertEquals(OutputType.JSONL, typed.outputType());
        assertEquals(Transformation.COMPACT, typed.transformation());
        JsonNode written = Json.parse(new String(Json.toBytes(typed)));
        assertEquals("JSONL", written.get("outputType").asText());
        assertEquals("COMPACT", written.get("transformation").asText());

        RunConfig.ResultWriterConfig bare = Json.fromBytes("{\"bucket\":\"b\",\"prefix\":\"p\"}".getBytes(),
                RunConfig.ResultWriterConfig.class);
        assertNull(bare.outputType(), "absent: the reader applies AWS's default");
        assertNull(bare.transformation());

        RunConfig.ResultWriterConfig lower = Json.fromBytes(
                "{\"bucket\":\"b\",\"outputType\":\"jsonl\",\"transformation\":\"flatten\"}".getBytes(),
                RunConfig.ResultWriterConfig.class);
        assertEquals(OutputType.JSONL, lower.outputType());
        assertEquals(Transformation.FLATTEN, lower.transformation());
    }

    @Test
    void anExecutionRecordStatusIsAPhaseOrATerminalStatus() {
        assertEquals(ExecutionRecordPhase.STARTED, ExecutionRecordPhase.of("STARTED"));
        assertEquals(ExecutionRecordPhase.REDRIVING, ExecutionRecordPhase.of("REDRIVING"));
        for (ExecutionStatus s : ExecutionStatus.values()) {
            assertNull(ExecutionRecordPhase.of(s.name()), s::name);
        }
    }

    @Test
    void everyRecordStateHasAChildExecutionStatus() {
        assertEquals(ChildExecutionStatus.RUNNING, ChildExecutionStatus.of(ExecutionRecordPhase.STARTED));
        assertEquals(ChildExecutionStatus.PENDING_REDRIVE, ChildExecutionStatus.of(ExecutionRecordPhase.REDRIVING));
        for (ExecutionStatus s : ExecutionStatus.values()) {
            assertEquals(s.name(), ChildExecutionStatus.of(s).name());
        }
    }
}
