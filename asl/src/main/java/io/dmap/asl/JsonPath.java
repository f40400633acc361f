package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dmap.common.json.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The JSONPath of the States Language: {@code $}, {@code .name}, {@code ['name']}, {@code [0]}, {@code [-1]},
 * and the indefinite forms {@code [*]}, {@code .*}, {@code [1,2]}, {@code ['a','b']}, {@code [start:end:step]},
 * {@code ..name}. A definite path yields one node or none; an indefinite one yields an array of its matches.
 */
final class JsonPath {

    private final String text;
    private final List<Step> steps;

    private JsonPath(String text, List<Step> steps) {
        this.text = text;
        this.steps = steps;
    }

    /** Parses {@code text}; throws IllegalArgumentException saying where it is not a JSONPath. */
    static JsonPath compile(String text) {
        return new JsonPath(text, new JsonPathParser(text).parse());
    }

    static JsonPath parse(String text) throws StatesError {
        try {
            return new JsonPath(text, new JsonPathParser(text).parse());
        } catch (IllegalArgumentException e) {
            throw StatesError.runtime("Invalid JSONPath '" + text + "': " + e.getMessage());
        }
    }

    boolean definite() {
        return steps.stream().allMatch(s -> s instanceof Step.Field || s instanceof Step.Index);
    }

    List<Step> steps() {
        return steps;
    }

    /** The node at this path, or null where a definite path leads nowhere. Indefinite paths give an array. */
    JsonNode read(JsonNode root) {
        List<JsonNode> current = List.of(root);
        for (Step step : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                step.apply(node, next);
            }
            current = next;
        }
        if (definite()) {
            return current.isEmpty() ? null : current.get(0);
        }
        ArrayNode matches = Json.NODES.arrayNode();
        current.forEach(matches::add);
        return matches;
    }

    /** AWS's normalised form in error texts: {@code $['a'][0]}. */
    String normalized() {
        StringBuilder b = new StringBuilder("$");
        for (Step step : steps) {
            if (step instanceof Step.Field f) {
                b.append("['").append(f.name()).append("']");
            } else if (step instanceof Step.Index i) {
                b.append('[').append(i.index()).append(']');
            } else {
                return text;
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return text;
    }

    /** One step of a path; each adds the nodes it selects from {@code node} to {@code out}. */
    sealed interface Step {
        void apply(JsonNode node, List<JsonNode> out);

        record Field(String name) implements Step {
            public void apply(JsonNode node, List<JsonNode> out) {
                if (node.isObject() && node.has(name)) {
                    out.add(node.get(name));
                }
            }
        }

        record Index(int index) implements Step {
            public void apply(JsonNode node, List<JsonNode> out) {
                if (node.isArray()) {
                    int i = index < 0 ? node.size() + index : index;
                    if (i >= 0 && i < node.size()) {
                        out.add(node.get(i));
                    }
                }
            }
        }

        record Wildcard() implements Step {
            public void apply(JsonNode node, List<JsonNode> out) {
                if (node.isContainerNode()) {
                    node.elements().forEachRemaining(out::add);
                }
            }
        }

        record Union(List<Step> members) implements Step {
            public void apply(JsonNode node, List<JsonNode> out) {
                members.forEach(m -> m.apply(node, out));
            }
        }

        record Slice(Integer start, Integer end, int step) implements Step {
            public void apply(JsonNode node, List<JsonNode> out) {
                if (!node.isArray() || step <= 0) {
                    return;
                }
                int size = node.size();
                int from = bound(start, 0, size);
                int to = bound(end, size, size);
                for (int i = from; i < to; i += step) {
                    out.add(node.get(i));
                }
            }

            private static int bound(Integer value, int dflt, int size) {
                if (value == null) {
                    return dflt;
                }
                int v = value < 0 ? size + value : value;
                return Math.max(0, Math.min(size, v));
            }
        }

        /** {@code [?(@.x < 3)]}: the elements (of an array) or values (of an object) the filter accepts. */
        record Filter(JsonPathFilter filter) implements Step {
            public void apply(JsonNode node, List<JsonNode> out) {
                if (node.isContainerNode()) {
                    node.elements().forEachRemaining(e -> {
                        if (filter.accepts(e)) {
                            out.add(e);
                        }
                    });
                }
            }
        }

        /** {@code ..x}: {@code inner} applied to the node and to every descendant. */
        record Deep(Step inner) implements Step {
            public void apply(JsonNode node, List<JsonNode> out) {
                inner.apply(node, out);
                if (node.isContainerNode()) {
                    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                        apply(it.next(), out);
                    }
                }
            }
        }
    }
}
