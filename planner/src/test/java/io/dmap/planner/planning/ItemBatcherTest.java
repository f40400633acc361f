package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.asl.map.MapRunSpec.ItemBatcherSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemBatcherTest {

    private final List<Batch> out = new ArrayList<>();

    @Test
    void withoutBatcherEveryItemIsItsOwnBatchWithTheItemAsInput() {
        ItemBatcher batcher = new ItemBatcher(null, out::add);
        batcher.add(Json.parse("{\"a\":1}"));
        batcher.add(Json.parse("\"two\""));
        batcher.finish();

        assertEquals(2, out.size());
        assertEquals(new Batch(0, 0, 1, Json.parse("{\"a\":1}")), out.get(0));
        assertEquals(new Batch(1, 1, 1, Json.parse("\"two\"")), out.get(1));
    }

    @Test
    void maxItemsPerBatchClosesBatchesAndTheLastIsPartial() {
        ItemBatcher batcher = new ItemBatcher(new ItemBatcherSpec(3, null, null), out::add);
        for (int i = 0; i < 7; i++) {
            batcher.add(Json.NODES.numberNode(i));
        }
        assertEquals(2, out.size(), "full batches are handed on before finish");
        batcher.finish();

        assertEquals(List.of(3, 3, 1), out.stream().map(Batch::itemCount).toList());
        assertEquals(List.of(0L, 3L, 6L), out.stream().map(Batch::firstItemIndex).toList());
        assertEquals(List.of(0L, 1L, 2L), out.stream().map(Batch::index).toList());
        assertEquals(Json.parse("{\"Items\":[3,4,5]}"), out.get(1).input());
        assertFalse(out.get(0).input().has("BatchInput"), "no BatchInput key without BatchInput");
        assertEquals(3, batcher.batches());
        assertEquals(7, batcher.itemsInClosedBatches());
    }

    @Test
    void maxInputBytesClosesFirstWhenItIsHitBeforeTheItemCount() {
        // each item "xxxx" serializes to 6 bytes; 20 bytes hold 3 of them, MaxItemsPerBatch 10 is never reached
        ItemBatcher batcher = new ItemBatcher(new ItemBatcherSpec(10, 20, null), out::add);
        for (int i = 0; i < 7; i++) {
            batcher.add(Json.NODES.textNode("xxxx"));
        }
        batcher.finish();

        assertEquals(List.of(3, 3, 1), out.stream().map(Batch::itemCount).toList());
    }

    @Test
    void maxItemsClosesFirstWhenItIsHitBeforeTheBytes() {
        ItemBatcher batcher = new ItemBatcher(new ItemBatcherSpec(2, 1000, null), out::add);
        for (int i = 0; i < 5; i++) {
            batcher.add(Json.NODES.textNode("xxxx"));
        }
        batcher.finish();

        assertEquals(List.of(2, 2, 1), out.stream().map(Batch::itemCount).toList());
    }

    @Test
    void exactlyFillingTheByteLimitClosesTheBatch() {
        ItemBatcher batcher = new ItemBatcher(new ItemBatcherSpec(null, 12, null), out::add);
        batcher.add(Json.NODES.textNode("xxxx"));
        batcher.add(Json.NODES.textNode("yyyy"));
        assertEquals(1, out.size(), "12 of 12 bytes: nothing else fits, the batch is closed at once");
        assertEquals(2, out.get(0).itemCount());
    }

    @Test
    void anItemBiggerThanTheByteLimitGoesAlone() {
        ItemBatcher batcher = new ItemBatcher(new ItemBatcherSpec(null, 10, null), out::add);
        batcher.add(Json.NODES.textNode("a"));                       // 3 bytes
        batcher.add(Json.NODES.textNode("a very long item indeed")); // 25 bytes
        batcher.add(Json.NODES.textNode("b"));
        batcher.add(Json.NODES.textNode("c"));
        batcher.finish();

        assertEquals(List.of(1, 1, 2), out.stream().map(Batch::itemCount).toList());
        assertEquals(Json.parse("{\"Items\":[\"a very long item indeed\"]}"), out.get(1).input());
        assertEquals(List.of(0L, 1L, 2L), out.stream().map(Batch::firstItemIndex).toList());
    }

    @Test
    void batchInputIsPassedBesideTheItems() {
        JsonNode batchInput = Json.parse("{\"run\":\"r1\",\"n\":[1,2]}");
        ItemBatcher batcher = new ItemBatcher(new ItemBatcherSpec(2, null, batchInput), out::add);
        batcher.add(Json.parse("{\"k\":\"a\"}"));
        batcher.add(Json.parse("{\"k\":\"b\"}"));
        batcher.add(Json.parse("{\"k\":\"c\"}"));
        batcher.finish();

        assertEquals(Json.parse("{\"BatchInput\":{\"run\":\"r1\",\"n\":[1,2]},\"Items\":[{\"k\":\"a\"},{\"k\":\"b\"}]}"),
                out.get(0).input());
        assertEquals(Json.parse("{\"BatchInput\":{\"run\":\"r1\",\"n\":[1,2]},\"Items\":[{\"k\":\"c\"}]}"),
                out.get(1).input());
    }

    @Test
    void finishWithoutItemsEmitsNothing() {
        ItemBatcher batcher = new ItemBatcher(new ItemBatcherSpec(2, null, null), out::add);
        batcher.finish();
        assertTrue(out.isEmpty());
        assertEquals(0, batcher.batches());
    }
}
