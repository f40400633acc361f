package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.asl.map.JsonPaths;

/**
 * No ItemReader: the items are the JSON array at {@code ItemsPath} in the request's {@code Input}. Position:
 * {@code {"index": n}}, the index of the next item.
 */
public final class InputArrayReader implements ItemReader {

    private final JsonNode input;
    private final String itemsPath;

    public InputArrayReader(JsonNode input, String itemsPath) {
        this.input = input;
        this.itemsPath = itemsPath == null ? "$" : itemsPath;
    }

    @Override
    public ItemStream open() {
        return open(null);
    }

    @Override
    public ItemStream open(JsonNode position) {
        JsonNode items = input == null ? null : JsonPaths.read(input, itemsPath);
        if (items == null || !items.isArray()) {
            throw new ItemReaderException("ItemsPath '" + itemsPath + "' does not select a JSON array in Input");
        }
        int start = position == null ? 0 : position.path("index").asInt();
        return new ItemStream() {
            int next = start;

            @Override
            public boolean hasNext() {
                return next < items.size();
            }

            @Override
            public JsonNode next() {
                return items.get(next++);
            }

            @Override
            public String itemSource() {
                return "STATE_DATA";
            }

            @Override
            public JsonNode position() {
                return Json.NODES.objectNode().put("index", next);
            }
        };
    }
}
