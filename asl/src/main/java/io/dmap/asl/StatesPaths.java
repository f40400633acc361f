package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.Problems;
import io.dmap.common.spec.SpecException;

import java.util.List;

/**
 * The engine's JSONPath, intrinsic functions and payload templates for callers outside this package (the Map
 * state's own fields, evaluated by the planner at run start and per item), so there is one implementation of each.
 * The checks report syntax problems as {@link SpecException}s naming the field path; evaluation fails with the
 * engine's {@link StatesError}s ({@code States.Runtime}).
 */
public final class StatesPaths {

    private StatesPaths() {
    }

    /** A payload template compiled once (Parameters, ItemSelector, BatchInput), for evaluation per item. */
    public static final class CompiledTemplate {
        private final Template template;

        private CompiledTemplate(Template template) {
            this.template = template;
        }

        public JsonNode evaluate(JsonNode input, JsonNode context) throws StatesError {
            return template.evaluate(Scope.entry(input, context, Variables.root()));
        }
    }

    /** Compiles {@code template}; throws a SpecException naming every malformed path or call. */
    public static CompiledTemplate compile(JsonNode template, String fieldPath) {
        Problems problems = new Problems();
        Template compiled = Template.compile(template, fieldPath, problems);
        problems.throwIfAny();
        return new CompiledTemplate(compiled);
    }

    /** A template as Parameters / ItemSelector / BatchInput: {@code x.$} keys take paths or intrinsics. */
    public static JsonNode evaluate(JsonNode template, JsonNode input, JsonNode context) throws StatesError {
        try {
            return compile(template, "$").evaluate(input, context);
        } catch (SpecException e) {
            throw StatesError.runtime(e.getMessage());
        }
    }

    /** The node at {@code path} ({@code $...} over input, {@code $$...} over context), or null when there is none. */
    public static JsonNode select(String path, JsonNode input, JsonNode context) throws StatesError {
        PathRef ref;
        try {
            ref = PathRef.compile(path);
        } catch (IllegalArgumentException e) {
            throw StatesError.runtime("'" + path + "' " + e.getMessage());
        }
        return ref.read(Scope.entry(input, context, Variables.root()));
    }

    /** The problems of a template's {@code .$} fields: each must hold a valid path or intrinsic function call. */
    public static List<SpecException.Problem> checkTemplate(JsonNode template, String fieldPath) {
        Problems problems = new Problems();
        Template.compile(template, fieldPath, problems);
        return problems.list();
    }

    /** Null when {@code path} is a reference path ({@code $}, {@code $.a.b}, {@code $['x'][0]}), else the reason. */
    public static String referencePathProblem(String path) {
        if (path == null || !path.startsWith("$")) {
            return "must be a reference path starting with '$'";
        }
        try {
            PathRef parsed = PathRef.compile(path);
            return parsed.definite() ? null : "'" + path + "' must be a reference path (no wildcards, filters or slices)";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
