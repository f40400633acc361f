package io.dmap.aggregator.tally;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunStatus;
import io.dmap.common.json.Json;
import io.dmap.common.json.JsonSerde;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code runs} store holds a {@link RunState} as one flat object, with the fields of the record before it was split
 * into parts: a state stored by that version reads back whole, and is written again the same.
 */
class RunStateStoredFormTest {

    /** As the flat RunState record (up to e57afda) wrote it, every field set. */
    private static final String FLAT = """
            {"mapRunId":"r1","name":"n","config":{"label":"l","maxConcurrency":7,"toleratedFailureCount":3,
             "toleratedFailurePercentage":12.5,"resultWriter":null,"mapRunArn":"arn:aws:states:x"},
             "startDate":"2026-01-01T00:00:00Z","totalItems":40,"totalBatches":4,
             "items":{"running":1,"succeeded":20,"failed":9,"timedOut":1,"aborted":0,"notStarted":0},
             "executions":{"running":1,"succeeded":2,"failed":1,"timedOut":0,"aborted":0,"notStarted":0},
             "finishedBatches":3,"phase":"DONE","status":"FAILED","decidedStatus":"FAILED",
             "error":"States.ExceedToleratedFailureThreshold","cause":"why","stopping":true,
             "stopDate":"2026-01-01T00:01:00Z","itemsWritten":31,"executionsWritten":3,"resultBucket":"b",
             "manifestKey":"p/r1/manifest.json","redriveCount":2,"redriveDate":"2026-01-01T00:00:30Z"}""";

    private final JsonSerde<RunState> serde = JsonSerde.of(RunState.class);

    @Test
    void aFlatStateReadsBackIntoItsPartsAndIsWrittenTheSame() throws Exception {
        RunState s = serde.deserialize("t", FLAT.getBytes(StandardCharsets.UTF_8));
        assertEquals("r1", s.mapRunId());
        assertEquals(7, s.config().maxConcurrency());
        assertEquals(new RunState.Totals(40L, 4L), s.totals());
        assertEquals(20, s.progress().items().succeeded());
        assertEquals(1, s.progress().executions().failed());
        assertEquals(3, s.progress().finishedBatches());
        assertEquals(new RunState.Fate(RunPhase.DONE, RunStatus.FAILED, RunStatus.FAILED,
                "States.ExceedToleratedFailureThreshold", "why", true, Instant.parse("2026-01-01T00:01:00Z")), s.fate());
        assertEquals(new RunState.Written(31, 3, "b", "p/r1/manifest.json"), s.written());
        assertEquals(new RunState.Redrives(2, Instant.parse("2026-01-01T00:00:30Z")), s.redrives());

        JsonNode again = Json.MAPPER.readTree(serde.serialize("t", s));
        assertEquals(Json.MAPPER.readTree(FLAT), again, "written back field for field");
        assertEquals(s, serde.deserialize("t", serde.serialize("t", s)));
    }

    @Test
    void anEmptyStateRoundTrips() {
        RunState empty = RunState.empty("r2");
        RunState back = serde.deserialize("t", serde.serialize("t", empty));
        assertEquals(empty, back);
        assertNull(back.totals().batches());
        assertTrue(back.executing());
    }
}
