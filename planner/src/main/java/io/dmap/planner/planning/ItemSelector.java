package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.asl.StatesError;
import io.dmap.asl.StatesPaths;
import io.dmap.asl.map.MapContext;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Problems;

/**
 * The ItemSelector template, evaluated per item by the engine's payload templates: a key ending in {@code .$} takes
 * a path over the Map state's input ({@code $...}), a path over the context object ({@code $$.Map.Item.Value},
 * {@code .Index}, {@code .Key}, {@code .Source}, {@code $$.Execution.*}, {@code $$.State.*}, {@code $$.StateMachine.*})
 * or an intrinsic function. Without a template the item is passed unchanged. Not thread-safe: one per run's planning.
 */
public final class ItemSelector {

    private final StatesPaths.Compiled template;
    private final JsonNode input;
    private final ObjectNode context;
    private final ObjectNode item;

    private ItemSelector(JsonNode template, JsonNode input, ObjectNode context) {
        // compiled once per run's planning, not per item
        this.template = template == null ? null : compile(template);
        this.input = input;
        this.context = context;
        this.item = context.putObject("Map").putObject("Item");
    }

    private static StatesPaths.Compiled compile(JsonNode template) {
        Problems problems = new Problems();
        StatesPaths.Compiled compiled = StatesPaths.template(template, "ItemSelector", problems);
        problems.throwIfAny();
        return compiled;
    }

    /** {@code template} as validated by the spec parser (null for none), over {@code input} in {@code context}. */
    public static ItemSelector of(JsonNode template, JsonNode input, MapContext context) {
        return new ItemSelector(template, input == null ? Json.NODES.objectNode() : input, context.contextObject());
    }

    /**
     * @param key    the item's key when the items are a JSON object, else null
     * @param source where the item comes from ({@code STATE_DATA}, {@code S3://...}), or null when unknown
     * @throws ItemSelectorException when the template cannot be applied to this item (States.Runtime)
     */
    public JsonNode select(JsonNode value, long index, String key, String source) {
        if (template == null) {
            return value;
        }
        item.removeAll();
        if (index <= Integer.MAX_VALUE) {
            item.put("Index", (int) index);
        } else {
            item.put("Index", index);
        }
        item.set("Value", value);
        if (key != null) {
            item.put("Key", key);
        }
        if (source != null) {
            item.put("Source", source);
        }
        try {
            return template.evaluate(input, context);
        } catch (StatesError e) {
            throw new ItemSelectorException("ItemSelector, item " + index + ": " + e.cause());
        }
    }
}
