package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

/** A compiled value of a state's field (a JSONPath payload template, a path, or a JSONata template). */
@FunctionalInterface
interface Value {

    JsonNode evaluate(Scope scope) throws StatesError;
}
