package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

/** InputPath, Parameters, ResultSelector, ResultPath and OutputPath; any may be null (absent). */
record JsonPathIo(Filter inputPath, Template parameters, Template resultSelector, ResultPath resultPath,
                  Filter outputPath) implements StateIo {

    static final JsonPathIo NONE = new JsonPathIo(null, null, null, null, null);

    /** InputPath or OutputPath: a path, or null (the field set to null: an empty object). */
    record Filter(PathRef path, String field) {
        JsonNode apply(JsonNode data, Scope scope) throws StatesError {
            if (path == null) {
                return Json.NODES.objectNode();
            }
            return path.require(scope.withData(data));
        }
    }

    public JsonNode effectiveInput(Scope entry) throws StatesError {
        JsonNode effective = inputPath == null ? entry.input() : inputPath.apply(entry.input(), entry);
        return parameters == null ? effective : parameters.evaluate(entry.withData(effective));
    }

    public JsonNode selectResult(Scope entry, JsonNode result) throws StatesError {
        return resultSelector == null ? result : resultSelector.evaluate(entry.withResult(result));
    }

    public JsonNode output(Scope entry, JsonNode selectedResult, boolean hasResult) throws StatesError {
        JsonNode output = resultPath == null ? selectedResult : resultPath.apply(entry.input(), selectedResult);
        return outputPath == null ? output : outputPath.apply(output, entry);
    }
}
