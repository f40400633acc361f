package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

/** Where a state leads ({@code next} null: the execution ends) and the state's output. */
record Transition(String next, JsonNode output) {

    /** Next or End of a state that has them. */
    static Transition after(JsonNode state, JsonNode output) {
        boolean end = state.path("End").asBoolean(false);
        return new Transition(end ? null : state.get("Next").asText(), output);
    }
}
