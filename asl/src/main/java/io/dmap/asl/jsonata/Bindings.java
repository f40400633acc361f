package io.dmap.asl.jsonata;

import com.dashjoin.jsonata.Jsonata.Frame;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code $states} and the workflow variables, converted once to the library's Java values so that every expression
 * of a template evaluates against the same converted values. Read-only after construction: the library does not
 * modify its input, and JSON null is a Java null here, which its output clean-up leaves as it is.
 */
final class Bindings {

    static final String STATES = "states";

    private final Map<String, Object> values;

    private Bindings(Map<String, Object> values) {
        this.values = values;
    }

    static Bindings of(JsonNode statesBinding, Map<String, JsonNode> variables) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (variables != null) {
            variables.forEach((name, value) -> {
                String bare = name.startsWith("$") ? name.substring(1) : name;
                if (!STATES.equals(bare)) { // $states is reserved: a variable cannot shadow it
                    values.put(bare, JsonataValues.binding(value));
                }
            });
        }
        if (statesBinding != null && !statesBinding.isMissingNode()) {
            values.put(STATES, JsonataValues.binding(statesBinding));
        }
        return new Bindings(values);
    }

    void bindInto(Frame frame) {
        values.forEach(frame::bind);
    }
}
