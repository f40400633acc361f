package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One entry into a state: its name and definition, its raw input, and what {@code $$} is built from. */
record StateRun(String name, JsonNode state, JsonNode input, JsonNode executionInput, ExecutionContext execution,
                Instant entered) {

    JsonNode context(int retryCount) {
        return execution.contextObject(executionInput, name, entered, retryCount);
    }
}
