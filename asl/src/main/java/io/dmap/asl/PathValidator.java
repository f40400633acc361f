package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.SpecException;

import java.util.Iterator;
import java.util.Map;

/** Paths and templates: InputPath/OutputPath/ResultPath, and the {@code .$} fields of Parameters and ResultSelector. */
final class PathValidator {

    private PathValidator() {
    }

    static void paths(JsonNode state, String path) {
        for (String field : new String[]{"InputPath", "OutputPath"}) {
            JsonNode v = state.get(field);
            if (v != null && !v.isNull() && !(v.isTextual() && v.asText().startsWith("$"))) {
                throw new SpecException(path + "." + field, "must be a path starting with '$', or null");
            }
        }
        resultPath(state, path);
        for (String field : new String[]{"Parameters", "ResultSelector"}) {
            if (state.has(field)) {
                template(state.get(field), path + "." + field);
            }
        }
    }

    static void resultPath(JsonNode node, String path) {
        JsonNode v = node.get("ResultPath");
        if (v != null && !v.isNull() && !(v.isTextual() && v.asText().startsWith("$") && !v.asText().startsWith("$$"))) {
            throw new SpecException(path + ".ResultPath", "must be a reference path starting with '$', or null");
        }
    }

    /** Fields named {@code x.$} hold a path ({@code $...}, {@code $$...}) or an intrinsic function ({@code States.*}). */
    static void template(JsonNode template, String path) {
        if (template.isArray()) {
            for (int i = 0; i < template.size(); i++) {
                template(template.get(i), path + "[" + i + "]");
            }
            return;
        }
        if (!template.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = path + "." + e.getKey();
            if (e.getKey().endsWith(".$")) {
                JsonNode v = e.getValue();
                if (!v.isTextual() || !(v.asText().startsWith("$") || v.asText().startsWith("States."))) {
                    throw new SpecException(at, "a field ending in '.$' takes a path starting with '$' or an intrinsic"
                            + " function (States.Format(...), ...)");
                }
            } else {
                template(e.getValue(), at);
            }
        }
    }
}
