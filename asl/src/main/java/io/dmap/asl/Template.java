package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.asl.IntrinsicParser.Expr;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Problems;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign, ...), compiled once: a field named
 * {@code x.$} takes its value from a path ({@code $}, {@code $$}, {@code $var}) or an intrinsic function call.
 */
sealed interface Template extends Value {

    /** Compiles {@code template}; every malformed path or call is added to {@code problems} with its field path. */
    static Template compile(JsonNode template, String path, Problems problems) {
        if (template.isObject()) {
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                String at = path + "." + key;
                if (key.endsWith(".$") && key.length() > 2) {
                    Template dynamic = dynamic(e.getValue(), key, at, problems);
                    if (dynamic != null) {
                        entries.add(new Entry(key.substring(0, key.length() - 2), dynamic));
                    }
                } else {
                    entries.add(new Entry(key, compile(e.getValue(), at, problems)));
                }
            }
            return new Obj(entries);
        }
        if (template.isArray()) {
            List<Template> elements = new ArrayList<>();
            for (int i = 0; i < template.size(); i++) {
                elements.add(compile(template.get(i), path + "[" + i + "]", problems));
            }
            return new Arr(elements);
        }
        return new Literal(template);
    }

    /** The value of a field named {@code key} ending in {@code .$}: a path or an intrinsic call; null after a problem. */
    static Template dynamic(JsonNode value, String key, String at, Problems problems) {
        String text = value.isTextual() ? value.asText().trim() : "";
        try {
            if (text.startsWith("$")) {
                return new PathValue(PathRef.compile(text), key);
            }
            if (text.startsWith("States.")) {
                return new Call(Intrinsics.compile(text));
            }
        } catch (IllegalArgumentException e) {
            problems.add(at, e.getMessage());
            return null;
        }
        problems.add(at, "a field ending in '.$' takes a path starting with '$' or an intrinsic function"
                + " (States.Format(...), ...)");
        return null;
    }

    record Entry(String key, Template value) { }

    record Obj(List<Entry> entries) implements Template {
        public JsonNode evaluate(Scope scope) throws StatesError {
            ObjectNode out = Json.NODES.objectNode();
            for (Entry e : entries) {
                out.set(e.key(), e.value().evaluate(scope));
            }
            return out;
        }
    }

    record Arr(List<Template> elements) implements Template {
        public JsonNode evaluate(Scope scope) throws StatesError {
            ArrayNode out = Json.NODES.arrayNode();
            for (Template t : elements) {
                out.add(t.evaluate(scope));
            }
            return out;
        }
    }

    record Literal(JsonNode value) implements Template {
        public JsonNode evaluate(Scope scope) {
            return value.deepCopy();
        }
    }

    record PathValue(PathRef path, String key) implements Template {
        public JsonNode evaluate(Scope scope) throws StatesError {
            JsonNode value = path.read(scope);
            if (value == null) {
                throw StatesError.runtime("The JSONPath '" + path + "' specified for the field '" + key
                        + "' could not be found in the input '" + Json.toString(scope.data()) + "'");
            }
            return value.deepCopy();
        }
    }

    record Call(Expr.Call call) implements Template {
        public JsonNode evaluate(Scope scope) throws StatesError {
            return Intrinsics.evaluate(call, scope);
        }
    }
}
