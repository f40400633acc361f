package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.SpecException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The engine's JSONPath, intrinsic functions and payload templates for callers outside this package (the Map
 * state's own fields, evaluated by the planner at run start and per item), so there is one implementation of each.
 * The checks report syntax problems as {@link SpecException}s naming the field path; evaluation fails with the
 * engine's {@link StatesError}s ({@code States.Runtime}).
 */
public final class StatesPaths {

    private StatesPaths() {
    }

    /** A template as Parameters / ItemSelector / BatchInput: {@code x.$} keys take paths or intrinsics. */
    public static JsonNode evaluate(JsonNode template, JsonNode input, JsonNode context) throws StatesError {
        io.dmap.common.spec.Problems problems = new io.dmap.common.spec.Problems();
        Template compiled = Template.compile(template, "template", problems);
        if (!problems.isEmpty()) {
            throw StatesError.runtime(new SpecException(problems.list()).getMessage());
        }
        return compiled.evaluate(Scope.entry(input, context, Variables.root()));
    }

    /** The node at {@code path} ({@code $...} over input, {@code $$...} over context), or null when there is none. */
    public static JsonNode select(String path, JsonNode input, JsonNode context) throws StatesError {
        PathRef ref;
        try {
            ref = PathRef.compile(path);
        } catch (IllegalArgumentException e) {
            throw StatesError.runtime("Invalid JSONPath '" + path + "': " + e.getMessage());
        }
        return ref.read(Scope.entry(input, context, Variables.root()));
    }

    /** The problems of a template's {@code .$} fields: each must hold a valid path or intrinsic function call. */
    public static List<SpecException.Problem> checkTemplate(JsonNode template, String fieldPath) {
        List<SpecException.Problem> problems = new ArrayList<>();
        walk(template, fieldPath, problems);
        return problems;
    }

    /** Null when {@code path} is a reference path ({@code $}, {@code $.a.b}, {@code $['x'][0]}), else the reason. */
    public static String referencePathProblem(String path) {
        if (path == null || !path.startsWith("$")) {
            return "must be a reference path starting with '$'";
        }
        try {
            JsonPath parsed = JsonPath.parse(path.startsWith("$$") ? path.substring(1) : path);
            return parsed.definite() ? null : "'" + path + "' must be a reference path (no wildcards, filters or slices)";
        } catch (StatesError e) {
            return e.cause();
        }
    }

    private static void walk(JsonNode template, String at, List<SpecException.Problem> problems) {
        if (template.isArray()) {
            for (int i = 0; i < template.size(); i++) {
                walk(template.get(i), at + "[" + i + "]", problems);
            }
            return;
        }
        if (!template.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = at + "." + e.getKey();
            if (e.getKey().endsWith(".$") && e.getKey().length() > 2) {
                String reason = dynamicProblem(e.getValue());
                if (reason != null) {
                    problems.add(new SpecException.Problem(field, reason));
                }
            } else {
                walk(e.getValue(), field, problems);
            }
        }
    }

    private static String dynamicProblem(JsonNode value) {
        if (!value.isTextual()) {
            return "a field ending in '.$' takes a path starting with '$' or an intrinsic function (States.Format(...), ...)";
        }
        String text = value.asText().trim();
        if (text.startsWith("$")) {
            try {
                JsonPath.parse(text.startsWith("$$") ? text.substring(1) : text);
                return null;
            } catch (StatesError e) {
                return e.cause();
            }
        }
        if (text.startsWith("States.")) {
            try {
                new IntrinsicParser(text).parse();
                return null;
            } catch (IllegalArgumentException e) {
                return "invalid intrinsic function '" + text + "': " + e.getMessage();
            }
        }
        return "a field ending in '.$' takes a path starting with '$' or an intrinsic function (States.Format(...), ...), was '"
                + text + "'";
    }
}
