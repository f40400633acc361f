package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.JsonPaths;

/** No ItemReader: the items are the JSON array at {@code ItemsPath} in the request's {@code Input}. */
public final class InputArrayReader implements ItemReader {

    private final JsonNode input;
    private final String itemsPath;

    public InputArrayReader(JsonNode input, String itemsPath) {
        this.input = input;
        this.itemsPath = itemsPath == null ? "$" : itemsPath;
    }

    @Override
    public ItemStream open() {
        JsonNode items = input == null ? null : JsonPaths.read(input, itemsPath);
        if (items == null || !items.isArray()) {
            throw new ItemReaderException("ItemsPath '" + itemsPath + "' does not select a JSON array in Input");
        }
        return ItemStream.of(items.elements());
    }
}
