package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A compiled Assign field: every value is evaluated first (on the state's entry values), then all are assigned. */
record Assign(List<Entry> entries) {

    record Entry(String name, Value value) { }

    Map<String, JsonNode> evaluate(Scope scope) throws StatesError {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Entry e : entries) {
            values.put(e.name(), e.value().evaluate(scope));
        }
        return values;
    }
}
