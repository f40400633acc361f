package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses an intrinsic function call such as {@code States.Format('Hello {}', $.name)}. Arguments are string literals
 * (single quotes; {@code \'}, {@code \{}, {@code \}}, {@code \\} escapes), numbers, true/false/null, paths and
 * nested calls.
 */
final class IntrinsicParser {

    /** An argument or call, unevaluated. */
    sealed interface Expr {
        record Literal(JsonNode value) implements Expr { }

        /** A string literal; {@code placeholders} are the offsets in {@code value} of unescaped {@code {}}. */
        record Text(String value, List<Integer> placeholders) implements Expr { }

        record Path(String path) implements Expr { }

        record Call(String name, List<Expr> args) implements Expr { }
    }

    private final String text;
    private int pos;

    IntrinsicParser(String text) {
        this.text = text;
    }

    Expr.Call parse() {
        Expr.Call call = call();
        skipSpaces();
        if (pos != text.length()) {
            throw error("unexpected text after the closing parenthesis");
        }
        return call;
    }

    private Expr.Call call() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        String name = text.substring(start, pos);
        if (!name.startsWith("States.")) {
            throw error("expected a function name starting with 'States.'");
        }
        expect('(');
        List<Expr> args = new ArrayList<>();
        skipSpaces();
        if (peek() == ')') {
            pos++;
            return new Expr.Call(name, args);
        }
        while (true) {
            args.add(argument());
            skipSpaces();
            char c = next();
            if (c == ')') {
                return new Expr.Call(name, args);
            }
            if (c != ',') {
                throw error("expected ',' or ')'");
            }
        }
    }

    private Expr argument() {
        skipSpaces();
        char c = peek();
        if (c == '\'') {
            return string();
        }
        if (c == '$') {
            return path();
        }
        if (text.startsWith("States.", pos)) {
            return call();
        }
        int start = pos;
        while (pos < text.length() && ",) ".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        String token = text.substring(start, pos);
        try {
            JsonNode value = Json.MAPPER.readTree(token);
            if (value != null && (value.isNumber() || value.isBoolean() || value.isNull())) {
                return new Expr.Literal(value);
            }
        } catch (Exception e) {
            // falls through to the error below
        }
        pos = start;
        throw error("'" + token + "' is not a valid argument");
    }

    private Expr.Text string() {
        pos++;
        StringBuilder value = new StringBuilder();
        List<Integer> placeholders = new ArrayList<>();
        while (true) {
            char c = next();
            if (c == '\'') {
                return new Expr.Text(value.toString(), placeholders);
            }
            if (c == '\\') {
                value.append(next());
            } else if (c == '{' && peek() == '}') {
                placeholders.add(value.length());
                value.append("{}");
                pos++;
            } else {
                value.append(c);
            }
        }
    }

    private Expr.Path path() {
        int start = pos;
        int depth = 0;
        char quote = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (depth == 0 && (c == ',' || c == ')' || c == ' ')) {
                break;
            }
            pos++;
        }
        return new Expr.Path(text.substring(start, pos));
    }

    private void expect(char c) {
        skipSpaces();
        if (next() != c) {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private char next() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos++);
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " at character " + pos);
    }
}
