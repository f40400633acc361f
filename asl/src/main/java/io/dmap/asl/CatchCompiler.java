package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.Problems;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Compiles the Retry and Catch fields of a Task, Parallel or Map state. */
final class CatchCompiler {

    private final StateCompiler states;
    private final Problems problems;
    private final ValueCompiler values;

    CatchCompiler(StateCompiler states, Problems problems, ValueCompiler values) {
        this.states = states;
        this.problems = problems;
        this.values = values;
    }

    ErrorHandling errors(JsonNode node, String path, QueryLanguage language) {
        List<Retrier.Rule> retriers = new ArrayList<>();
        List<Catcher> catchers = new ArrayList<>();
        JsonNode retry = node.get("Retry");
        if (retry != null) {
            if (!retry.isArray()) {
                problems.add(path + ".Retry", "must be an array of retriers");
            } else {
                for (int i = 0; i < retry.size(); i++) {
                    Retrier.Rule r = ErrorHandlingCompiler.retrier(retry.get(i), path + ".Retry[" + i + "]",
                            i == retry.size() - 1, problems);
                    if (r != null) {
                        retriers.add(r);
                    }
                }
            }
        }
        JsonNode catchField = node.get("Catch");
        if (catchField != null) {
            if (!catchField.isArray()) {
                problems.add(path + ".Catch", "must be an array of catchers");
            } else {
                for (int i = 0; i < catchField.size(); i++) {
                    Catcher c = catcher(catchField.get(i), path + ".Catch[" + i + "]", i == catchField.size() - 1, language);
                    if (c != null) {
                        catchers.add(c);
                    }
                }
            }
        }
        return new ErrorHandling(List.copyOf(retriers), List.copyOf(catchers));
    }

    private Catcher catcher(JsonNode c, String path, boolean last, QueryLanguage language) {
        if (!c.isObject()) {
            problems.add(path, "must be an object");
            return null;
        }
        boolean jsonata = language == QueryLanguage.JSONATA;
        Fields.only(c, jsonata ? Set.of("ErrorEquals", "Next", "Output", "Assign", "Comment")
                : Set.of("ErrorEquals", "Next", "ResultPath", "Assign", "Comment"), "a catcher"
                + (jsonata ? " in a JSONata state" : " in a JSONPath state"), path, problems);
        List<String> errorEquals = ErrorHandlingCompiler.errorEquals(c, path, last, problems);
        String next = states.target(c.get("Next"), path + ".Next");
        StateIo io = jsonata ? new JsonataIo(null, values.jsonata(c.get("Output"), path + ".Output"))
                : new JsonPathIo(null, null, null, values.resultPath(c.get("ResultPath"), path + ".ResultPath"), null);
        return new Catcher(errorEquals, next, io, states.assign(c.get("Assign"), path + ".Assign", language));
    }
}
