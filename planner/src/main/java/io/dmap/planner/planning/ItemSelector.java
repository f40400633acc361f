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
 * or an intrinsic function; with QueryLanguage JSONata, {@code {% %}} strings are expressions over {@code $states.input}
 * and {@code $states.context}. Compiled once per run. Without a template the item is passed unchanged. Not thread-safe: one per run's planning.
 */
public final class ItemSelector {

    private final JsonNode template;
    private final StatesPaths.Compiled compiled;
    private final String problem;
    private final JsonNode input;
    private final ObjectNode context;
    private final ObjectNode item;

    private ItemSelector(JsonNode template, boolean jsonata, JsonNode input, ObjectNode context) {
        this.template = template;
        Problems problems = new Problems();
        this.compiled = template == null ? null : jsonata ? StatesPaths.jsonata(template, "ItemSelector", problems)
                : StatesPaths.template(template, "ItemSelector", problems);
        this.problem = problems.isEmpty() ? null : problems.list().get(0).toString();
        this.input = input;
        this.context = context;
        this.item = context.putObject("Map").putObject("Item");
    }

    /** {@code template} as validated by the spec parser (null for none), over {@code input} in {@code context}. */
    public static ItemSelector of(JsonNode template, JsonNode input, MapContext context) {
        return of(template, false, input, context);
    }

    /**
     * @param jsonata the Map state's QueryLanguage is JSONata: the template's {@code {% %}} strings are expressions
     *                over {@code $states.input} and {@code $states.context} (with {@code Map.Item})
     */
    public static ItemSelector of(JsonNode template, boolean jsonata, JsonNode input, MapContext context) {
        return new ItemSelector(template, jsonata, input == null ? Json.NODES.objectNode() : input,
                context.contextObject());
    }

    /** True without a template: {@link #select} returns every item as it is. */
    public boolean passesItemsUnchanged() {
        return template == null;
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
        if (compiled == null) {
            throw new ItemSelectorException("ItemSelector: " + problem);
        }
        try {
            return compiled.evaluate(input, context);
        } catch (StatesError e) {
            throw new ItemSelectorException(e.error(), "ItemSelector, item " + index + ": " + e.cause());
        }
    }
}
