package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Input and output processing of a state, written once for every state type: the effective input (the state's
 * body works on it), the selected result (what Assign sees), and the state's output.
 */
sealed interface StateIo permits JsonPathIo, JsonataIo {

    /** JSONPath: InputPath, then Parameters. JSONata: Arguments, or the input. */
    JsonNode effectiveInput(Scope entry) throws StatesError;

    /** JSONPath: ResultSelector over the raw result. JSONata: the raw result. */
    JsonNode selectResult(Scope entry, JsonNode result) throws StatesError;

    /**
     * JSONPath: ResultPath into the raw input, then OutputPath. JSONata: Output, or the result. {@code hasResult}:
     * the state did work (Task, Parallel, Map), so JSONata binds $states.result.
     */
    JsonNode output(Scope entry, JsonNode selectedResult, boolean hasResult) throws StatesError;

    /** What the state's Assign reads: JSONPath's {@code $} is the selected result; JSONata binds it as $states.result. */
    default Scope assignScope(Scope entry, JsonNode selectedResult, boolean hasResult) {
        return hasResult ? entry.withResult(selectedResult) : entry.withData(selectedResult);
    }
}
