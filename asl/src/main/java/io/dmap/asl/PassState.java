package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

/** Pass: its result is {@code Result} (JSONPath) or its effective input. */
public record PassState(StateFrame frame, JsonNode result) implements State { }
