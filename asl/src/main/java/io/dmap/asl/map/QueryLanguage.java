package io.dmap.asl.map;

import java.util.List;

/**
 * The Map state's {@code QueryLanguage}: JSONPath (default) or JSONata. Each language has fields the other must not
 * use (AWS rejects them when the state machine is created); dmap names each such field.
 */
final class QueryLanguage {

    static final List<String> JSONPATH_ONLY = List.of("InputPath", "ItemsPath", "Parameters", "ResultPath",
            "ResultSelector", "OutputPath", "MaxConcurrencyPath", "ToleratedFailureCountPath",
            "ToleratedFailurePercentagePath");
    static final List<String> JSONATA_ONLY = List.of("Items", "Output");

    private QueryLanguage() {
    }

    static boolean isJsonata(Fields f) {
        String language = f.string("QueryLanguage", false);
        if (language == null || language.equals("JSONPath")) {
            return false;
        }
        if (!language.equals("JSONata")) {
            f.problem("QueryLanguage", "'" + language + "' is not one of [JSONPath, JSONata]");
            return false;
        }
        return true;
    }

    /** Records the fields of the other language; returns them, so they get no second problem. */
    static List<String> checkFields(Fields f, boolean jsonata) {
        List<String> wrong = jsonata ? JSONPATH_ONLY : JSONATA_ONLY;
        f.reject(jsonata ? "is JSONPath only; this Map state's QueryLanguage is JSONata (use Items, Arguments, "
                + "Output or a JSONata expression in the field itself)"
                : "is JSONata only; set \"QueryLanguage\": \"JSONata\" on the Map state to use it (JSONPath states use "
                + "ItemsPath, Parameters, ResultSelector, OutputPath)", wrong.toArray(new String[0]));
        return wrong;
    }
}
