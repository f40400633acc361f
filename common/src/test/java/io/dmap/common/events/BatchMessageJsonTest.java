package io.dmap.common.events;

import io.dmap.common.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** BatchMessage's optional fields (readerError, inputRef) round-trip and default to null in older messages. */
class BatchMessageJsonTest {

    @Test
    void aMessageOfTheFirstVersionReadsWithoutReaderErrorOrRef() {
        BatchMessage m = Json.fromBytes(("{\"v\":1,\"mapRunId\":\"r\",\"batchIndex\":3,\"firstItemIndex\":5,\"itemCount\":2,"
                + "\"input\":{\"a\":1},\"processor\":{},\"redriveCount\":0}").getBytes(), BatchMessage.class);

        assertEquals(3, m.batchIndex());
        assertEquals(Json.parse("{\"a\":1}"), m.input());
        assertNull(m.readerError());
        assertNull(m.inputRef());
    }

    @Test
    void readerErrorAndInputRefRoundTrip() {
        BatchMessage unreadable = BatchMessage.unreadable("r", 7, 41, Json.parse("{\"line\":42}"), Json.parse("{}"),
                new ItemError(ItemError.MALFORMED_ITEM, "s3://b/k line 42: bad"));
        BatchMessage ref = BatchMessage.of("r", 8, 42, 2, Json.parse("{\"Items\":[1,2]}"), Json.parse("{}"))
                .withInputRef(new BatchInputRef("claims", "r/8.json"));

        assertEquals(unreadable, Json.fromBytes(Json.toBytes(unreadable), BatchMessage.class));
        BatchMessage read = Json.fromBytes(Json.toBytes(ref), BatchMessage.class);
        assertEquals(ref.inputRef(), read.inputRef());
        assertEquals(8, read.batchIndex());
        assertEquals(1, unreadable.itemCount());
        assertNull(ref.input());
        assertEquals(true, read.input() == null || read.input().isNull());
    }

    @Test
    void aBatchOfTheSecondVersionTravelsWithoutItsDefinitionAndGetsItBack() {
        BatchMessage full = BatchMessage.of("r", 9, 90, 1, Json.parse("{\"a\":1}"), Json.parse("{\"StartAt\":\"P\"}"));
        BatchMessage read = Json.fromBytes(Json.toBytes(full.withoutProcessor()), BatchMessage.class);

        assertEquals(BatchMessage.SCHEMA_VERSION_DEFINITION_APART, read.v());
        assertNull(read.processor(), "a JSON null reads as absent, not as a null node");
        assertEquals(full.processor(), read.withProcessor(full.processor()).processor());
        assertEquals(full.input(), read.input());
    }
}
