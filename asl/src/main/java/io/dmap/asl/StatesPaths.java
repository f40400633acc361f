package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.jsonata.JsonataTemplate;
import io.dmap.common.spec.Problems;
import io.dmap.common.spec.SpecException;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The engine's JSONPath, intrinsic functions, payload templates and JSONata templates for the Map state's own fields,
 * which the planner evaluates at run start and per item, outside this package: one implementation of each. Compiling
 * records problems with their field paths; evaluation fails with the engine's {@link StatesError}s. The Map state's
 * fields see no variables: a Distributed Map cannot read its parent's (AWS), and dmap runs it without a parent.
 */
public final class StatesPaths {

    private StatesPaths() {
    }

    /** A compiled Map-state field: a JSONPath template ({@code x.$} keys) or a JSONata value. */
    public static final class Compiled {
        private final Value value;
        private final boolean jsonata;

        private Compiled(Value value, boolean jsonata) {
            this.value = value;
            this.jsonata = jsonata;
        }

        /**
         * JSONPath: {@code $} is {@code input}, {@code $$} is {@code context}. JSONata: {@code $states.input} is
         * {@code input}, {@code $states.context} is {@code context}.
         */
        public JsonNode evaluate(JsonNode input, JsonNode context) throws StatesError {
            return value.evaluate(Scope.entry(input, context, Variables.root()));
        }

        public boolean jsonata() {
            return jsonata;
        }
    }

    /** Compiles a JSONPath template; null (with the problems recorded) when it has any. */
    public static Compiled template(JsonNode template, String fieldPath, Problems problems) {
        Problems own = new Problems();
        Template compiled = Template.compile(template, fieldPath, own);
        variables(template, fieldPath, own);
        own.list().forEach(p -> problems.add(p.field(), p.reason()));
        return own.isEmpty() ? new Compiled(compiled, false) : null;
    }

    /** Compiles a JSONata value (strings {@code "{% ... %}"} are expressions); null after a problem. */
    public static Compiled jsonata(JsonNode value, String fieldPath, Problems problems) {
        Problems own = new Problems();
        Value compiled = JsonataFields.template(value, fieldPath, own);
        own.list().forEach(p -> problems.add(p.field(), p.reason()));
        return compiled == null ? null : new Compiled(compiled, true);
    }

    public static boolean isJsonataExpression(JsonNode value) {
        return JsonataTemplate.isExpression(value);
    }

    /** A template compiled and evaluated at once (for values used once); a problem is a States.Runtime error. */
    public static JsonNode evaluate(JsonNode template, JsonNode input, JsonNode context) throws StatesError {
        Problems problems = new Problems();
        Compiled compiled = template(template, "$", problems);
        if (compiled == null) {
            throw StatesError.runtime(problems.list().get(0).toString());
        }
        return compiled.evaluate(input, context);
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
        Problems problems = new Problems();
        template(template, fieldPath, problems);
        return problems.list();
    }

    /** Null when {@code path} is a reference path ({@code $}, {@code $.a.b}, {@code $['x'][0]}), else the reason. */
    public static String referencePathProblem(String path) {
        try {
            PathRef ref = PathRef.compile(path);
            if (ref.source() == PathRef.Source.VARIABLE) {
                return VARIABLES;
            }
            return ref.definite() ? null : "'" + path + "' must be a reference path (no wildcards, filters or slices)";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static final String VARIABLES = "a Distributed Map's own fields cannot read workflow variables "
            + "(AWS: a Distributed Map cannot reference outer-scope variables)";

    /** {@code $name} paths in a template: the Map state's fields have no variables to read. */
    private static void variables(JsonNode template, String at, Problems problems) {
        if (template.isArray()) {
            for (int i = 0; i < template.size(); i++) {
                variables(template.get(i), at + "[" + i + "]", problems);
            }
        } else if (template.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String text = e.getValue().isTextual() ? e.getValue().asText().trim() : "";
                if (e.getKey().endsWith(".$") && text.startsWith("$") && !text.startsWith("$$") && text.length() > 1
                        && Variables.identifierPart(text.codePointAt(1))) {
                    problems.add(at + "." + e.getKey(), VARIABLES);
                } else if (!e.getKey().endsWith(".$")) {
                    variables(e.getValue(), at + "." + e.getKey(), problems);
                }
            }
        }
    }
}
