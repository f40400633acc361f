package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

/** Arguments and Output of a JSONata state; either may be null (absent). */
record JsonataIo(Value arguments, Value output) implements StateIo {

    public JsonNode effectiveInput(Scope entry) throws StatesError {
        return arguments == null ? entry.input() : arguments.evaluate(entry);
    }

    public JsonNode selectResult(Scope entry, JsonNode result) {
        return result;
    }

    public JsonNode output(Scope entry, JsonNode selectedResult, boolean hasResult) throws StatesError {
        if (output == null) {
            return selectedResult;
        }
        // in a Catch the error output is bound as $states.errorOutput; only Task, Parallel and Map have a result
        return output.evaluate(hasResult && entry.errorOutput() == null ? entry.withResult(selectedResult) : entry);
    }
}
