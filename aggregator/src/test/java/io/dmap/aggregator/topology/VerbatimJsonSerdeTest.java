package io.dmap.aggregator.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerbatimJsonSerdeTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Nesting, escapes, non-ASCII text, every scalar kind, and braces inside strings. */
    private static final JsonNode INPUT = Json.parse("""
            {"Items":[{"name":"é ☃ \\"q\\" {not} [a] \\\\","n":[1,2.5,-3e10,null,true,false]},{}],
             "BatchInput":{"deep":[[[{"x":[]}]]]}}""");
    private static final JsonNode OUTPUT = Json.parse("[{\"ok\":\"ü\"},[],\"}\"]");

    private static ExecutionFinished finished(JsonNode input, JsonNode output) {
        return new ExecutionFinished(ExecutionFinished.SCHEMA_VERSION, "run-v", 3, 2, ExecutionStatus.SUCCEEDED, input,
                output, null, null, T0, T0.plusSeconds(1), 0, "w-0");
    }

    @Test
    void anOutcomesInputAndOutputAreReadAsTheirTextAndMeanTheSameJson() {
        OutcomeEvent read = AggregatorTopology.OUTCOMES.deserializer().deserialize("t", Json.toBytes(finished(INPUT, OUTPUT)));

        ExecutionFinished e = assertInstanceOf(ExecutionFinished.class, read);
        assertTrue(e.input().isPojo(), "no tree of the input: " + e.input().getClass());
        assertTrue(e.output().isPojo(), "no tree of the output");
        assertEquals(INPUT, VerbatimJsonSerde.tree(e.input()));
        assertEquals(OUTPUT, VerbatimJsonSerde.tree(e.output()));
        assertEquals("run-v", e.mapRunId(), "the other fields as before");
        assertEquals(3, e.batchIndex());
        assertEquals(T0.plusSeconds(1), e.stopDate());
    }

    @Test
    void scalarsAndNullsAreReadAsUsual() {
        ExecutionFinished e = (ExecutionFinished) AggregatorTopology.OUTCOMES.deserializer().deserialize("t",
                Json.toBytes(finished(Json.NODES.textNode("{just text}"), null)));
        assertFalse(e.input().isPojo());
        assertEquals("{just text}", e.input().asText());
        assertNull(e.output());

        e = (ExecutionFinished) AggregatorTopology.OUTCOMES.deserializer().deserialize("t",
                Json.toBytes(finished(Json.NODES.numberNode(42), Json.NODES.nullNode())));
        assertEquals(42, e.input().asInt());
        assertNull(e.output(), "JSON null reads as no output, as before");
    }

    @Test
    void aStoredRecordIsWrittenBackByteForByte() {
        ExecutionFinished e = (ExecutionFinished) AggregatorTopology.OUTCOMES.deserializer().deserialize("t",
                Json.toBytes(finished(INPUT, OUTPUT)));
        byte[] once = AggregatorTopology.EXECUTIONS.serializer().serialize("s", ExecutionRecord.finished(e, null));
        ExecutionRecord back = AggregatorTopology.EXECUTIONS.deserializer().deserialize("s", once);
        byte[] twice = AggregatorTopology.EXECUTIONS.serializer().serialize("s", back);

        assertArrayEquals(once, twice);
        assertEquals(INPUT, VerbatimJsonSerde.tree(back.input()));
        assertEquals(OUTPUT, VerbatimJsonSerde.tree(back.output()));
        // what the standard codec reads from the same bytes: the same record, with trees
        ExecutionRecord asTrees = Json.fromBytes(once, ExecutionRecord.class);
        assertEquals(INPUT, asTrees.input());
        assertEquals(OUTPUT, asTrees.output());
        assertEquals(ExecutionStatus.SUCCEEDED, back.executionStatus());
    }

    @Test
    void treeLeavesATreeAlone() {
        assertEquals(INPUT, VerbatimJsonSerde.tree(INPUT));
        assertNull(VerbatimJsonSerde.tree(null));
    }
}
