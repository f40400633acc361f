package io.dmap.common.events;

import io.dmap.common.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ExecutionFinished's optional outputRef round-trips as an OutcomeEvent and is null in older events. */
class ExecutionFinishedJsonTest {

    @Test
    void anOutputByReferenceRoundTrips() {
        BatchMessage batch = BatchMessage.of("r", 4, 4, 1, Json.parse("{\"a\":1}"), Json.parse("{}"));
        ExecutionFinished f = ExecutionFinished.succeeded(batch, Json.parse("{\"big\":\"x\"}"), Instant.EPOCH, Instant.EPOCH, "w")
                .withOutputRef(new BatchInputRef("claims", "claim-check/r/4-0-output.json"));

        OutcomeEvent read = Json.fromBytes(Json.toBytes((OutcomeEvent) f), OutcomeEvent.class);
        ExecutionFinished back = (ExecutionFinished) read;
        assertEquals(new BatchInputRef("claims", "claim-check/r/4-0-output.json"), back.outputRef());
        assertTrue(back.output() == null || back.output().isNull());
        assertEquals(ExecutionStatus.SUCCEEDED, back.status());
        assertEquals(Json.parse("{\"a\":1}"), back.input());
    }

    @Test
    void anOlderEventHasNoOutputRef() {
        OutcomeEvent e = Json.fromBytes(("{\"type\":\"ExecutionFinished\",\"v\":1,\"mapRunId\":\"r\",\"batchIndex\":1,"
                + "\"itemCount\":1,\"status\":\"SUCCEEDED\",\"output\":{\"o\":1},\"redriveCount\":0}").getBytes(), OutcomeEvent.class);
        assertNull(((ExecutionFinished) e).outputRef());
        assertEquals(Json.parse("{\"o\":1}"), ((ExecutionFinished) e).output());
    }
}
