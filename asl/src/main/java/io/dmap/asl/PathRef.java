package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A compiled JSONPath of a JSONPath state: {@code $...} reads the state's data, {@code $$...} the context object,
 * {@code $name...} the workflow variable {@code name}.
 */
record PathRef(Source source, String variable, JsonPath path, String text) {

    enum Source { DATA, CONTEXT, VARIABLE }

    /** Compiles {@code text}; throws IllegalArgumentException saying why it is not a path. */
    static PathRef compile(String text) {
        if (text == null || !text.startsWith("$")) {
            throw new IllegalArgumentException("must be a path starting with '$'");
        }
        if (text.startsWith("$$")) {
            return new PathRef(Source.CONTEXT, null, parse(text.substring(1), text), text);
        }
        int end = 1;
        while (end < text.length() && Variables.identifierPart(text.codePointAt(end))) {
            end += Character.charCount(text.codePointAt(end));
        }
        if (end == 1) {
            return new PathRef(Source.DATA, null, parse(text, text), text);
        }
        String name = text.substring(1, end);
        VariableReferences.read(name);
        return new PathRef(Source.VARIABLE, name, parse("$" + text.substring(end), text), text);
    }

    private static JsonPath parse(String path, String original) {
        try {
            return JsonPath.compile(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a valid JSONPath ('" + original + "'): " + e.getMessage());
        }
    }

    /** The node this path selects in {@code scope}, or null when it selects nothing. */
    JsonNode read(Scope scope) throws StatesError {
        return switch (source) {
            case DATA -> path.read(scope.data());
            case CONTEXT -> path.read(scope.context());
            case VARIABLE -> {
                JsonNode value = scope.variables().get(variable);
                if (value == null) {
                    throw StatesError.runtime("The variable '" + variable + "' is not defined (path '" + text + "')");
                }
                yield path.read(value);
            }
        };
    }

    /** Like {@link #read} but a path that selects nothing is a States.Runtime error in AWS's words. */
    JsonNode require(Scope scope) throws StatesError {
        JsonNode value = read(scope);
        if (value == null) {
            throw StatesError.runtime("Invalid path '" + text + "' : No results for path: " + path.normalized());
        }
        return value;
    }

    boolean definite() {
        return path.definite();
    }

    @Override
    public String toString() {
        return text;
    }
}
