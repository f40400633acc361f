package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.asl.map.JsonPaths;
import io.dmap.common.spec.SpecException;

import java.util.Iterator;
import java.util.Map;

/**
 * The ItemSelector template: builds each child's item from the item, its index and the run's Input.
 * A key ending in {@code .$} takes a path as value: {@code $$.Map.Item.Value} (optionally followed by
 * {@code .field} / {@code [n]}), {@code $$.Map.Item.Index}, or {@code $...} over the Input. Nested objects
 * are templates too; other values are copied as they are. Without a template the item is passed unchanged.
 */
public final class ItemSelector {

    static final String VALUE = "$$.Map.Item.Value";
    static final String INDEX = "$$.Map.Item.Index";

    private final JsonNode template;

    private ItemSelector(JsonNode template) {
        this.template = template;
    }

    /** Validates every path of the template; a bad one is a {@link SpecException} naming its key. */
    public static ItemSelector of(JsonNode template) {
        if (template != null) {
            if (!template.isObject()) {
                throw new SpecException("ItemSelector", "must be an object");
            }
            validate(template, "ItemSelector");
        }
        return new ItemSelector(template);
    }

    public JsonNode select(JsonNode item, long index, JsonNode input) {
        return template == null ? item : apply(template, "ItemSelector", item, index, input);
    }

    private static void validate(JsonNode object, String at) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = at + "." + field.getKey();
            if (field.getKey().endsWith(".$")) {
                checkPath(field.getValue(), path);
            } else if (field.getValue().isObject()) {
                validate(field.getValue(), path);
            }
        }
    }

    private static void checkPath(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw new SpecException(field, "must be a path string");
        }
        String path = value.asText();
        try {
            if (path.equals(INDEX)) {
                return;
            }
            if (path.startsWith(VALUE)) {
                JsonPaths.steps("$" + path.substring(VALUE.length()));
                return;
            }
            if (path.startsWith("$$")) {
                throw new SpecException(field, "'" + path + "': only " + VALUE + " and " + INDEX
                        + " are available from the context object");
            }
            if (path.startsWith("States.")) {
                throw new SpecException(field, "intrinsic functions are not supported by dmap yet: '" + path + "'");
            }
            JsonPaths.steps(path);
        } catch (IllegalArgumentException e) {
            throw new SpecException(field, "'" + path + "' is not a valid path: " + e.getMessage());
        }
    }

    private static ObjectNode apply(JsonNode object, String at, JsonNode item, long index, JsonNode input) {
        ObjectNode out = Json.NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.endsWith(".$")) {
                out.set(key.substring(0, key.length() - 2), resolve(value.asText(), at + "." + key, item, index, input));
            } else if (value.isObject()) {
                out.set(key, apply(value, at + "." + key, item, index, input));
            } else {
                out.set(key, value.deepCopy());
            }
        }
        return out;
    }

    private static JsonNode resolve(String path, String field, JsonNode item, long index, JsonNode input) {
        JsonNode result;
        String where;
        if (path.equals(INDEX)) {
            return index <= Integer.MAX_VALUE ? Json.NODES.numberNode((int) index) : Json.NODES.numberNode(index);
        } else if (path.startsWith(VALUE)) {
            result = JsonPaths.read(item, "$" + path.substring(VALUE.length()));
            where = "item " + index;
        } else {
            result = JsonPaths.read(input, path);
            where = "the Input";
        }
        if (result == null) {
            throw new ItemSelectorException(field + ": the path '" + path + "' selects nothing in " + where);
        }
        return result.deepCopy();
    }
}
