package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StatesError;
import io.dmap.asl.StatesPaths;
import io.dmap.asl.map.MapRunSpec;
import io.dmap.common.json.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * No ItemReader: the items are the JSON array or object that ItemsPath selects in the Input (or that JSONata's Items
 * gives). An object gives one item per key, in the object's order: the value is the item, the key is
 * {@code $$.Map.Item.Key}. {@code $$.Map.Item.Source} is {@code STATE_DATA}. Position: {@code {"index": n}}, the index
 * of the next item.
 */
public final class InputArrayReader implements ItemReader {

    public static final String STATE_DATA = "STATE_DATA";

    private final JsonNode items;
    private final String itemsPath;

    /** The items at {@code itemsPath} (default {@code $}) in {@code input}. */
    public InputArrayReader(JsonNode input, String itemsPath) {
        this.itemsPath = itemsPath == null ? "$" : itemsPath;
        this.items = select(input, this.itemsPath);
    }

    private InputArrayReader(JsonNode items) {
        this.itemsPath = "Items";
        this.items = items;
    }

    /** The items of a spec: resolved at run start ({@link MapRunSpec.RunTimeFields#items()}) or at its ItemsPath. */
    public static InputArrayReader of(MapRunSpec spec) {
        MapRunSpec.RunTimeFields rt = spec.runTime();
        if (rt != null && rt.resolved() && rt.items() != null) {
            return new InputArrayReader(rt.items());
        }
        return new InputArrayReader(spec.input(), spec.itemsPath());
    }

    private static JsonNode select(JsonNode input, String itemsPath) {
        try {
            return input == null ? null : StatesPaths.select(itemsPath, input, Json.NODES.objectNode());
        } catch (StatesError e) {
            throw new ItemReaderException("ItemsPath '" + itemsPath + "': " + e.cause());
        }
    }

    @Override
    public ItemStream open() {
        return open(null);
    }

    @Override
    public ItemStream open(JsonNode position) {
        if (items == null || !items.isArray() && !items.isObject()) {
            throw new ItemReaderException("ItemsPath '" + itemsPath + "' does not select a JSON array or object in Input");
        }
        List<String> keys = items.isObject() ? keys(items) : null;
        int start = position == null ? 0 : position.path("index").asInt();
        return new ItemStream() {
            int next = start;

            @Override
            public boolean hasNext() {
                return next < items.size();
            }

            @Override
            public JsonNode next() {
                int i = next++;
                return keys == null ? items.get(i) : items.get(keys.get(i));
            }

            @Override
            public String itemKey() {
                return keys == null || next == 0 ? null : keys.get(next - 1);
            }

            @Override
            public String itemSource() {
                return STATE_DATA;
            }

            @Override
            public JsonNode position() {
                return Json.NODES.objectNode().put("index", next);
            }
        };
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>(object.size());
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }
}
