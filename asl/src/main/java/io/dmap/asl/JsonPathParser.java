package io.dmap.asl;

import java.util.ArrayList;
import java.util.List;

/** Splits a JSONPath into {@link JsonPath.Step}s; throws IllegalArgumentException naming the character. */
final class JsonPathParser {

    private final String text;
    private int pos;

    JsonPathParser(String text) {
        this.text = text;
    }

    List<JsonPath.Step> parse() {
        if (text == null || !text.startsWith("$")) {
            throw new IllegalArgumentException("a path must start with '$'");
        }
        pos = 1;
        List<JsonPath.Step> steps = new ArrayList<>();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (text.startsWith("..", pos)) {
                pos += 2;
                JsonPath.Step inner = pos < text.length() && text.charAt(pos) == '[' ? bracket() : dotted();
                steps.add(new JsonPath.Step.Deep(inner));
            } else if (c == '.') {
                pos++;
                steps.add(dotted());
            } else if (c == '[') {
                steps.add(bracket());
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' at character " + pos);
            }
        }
        return steps;
    }

    private JsonPath.Step dotted() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != '.' && text.charAt(pos) != '[') {
            pos++;
        }
        String name = text.substring(start, pos);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty field name at character " + start);
        }
        return name.equals("*") ? new JsonPath.Step.Wildcard() : new JsonPath.Step.Field(name);
    }

    private JsonPath.Step bracket() {
        int open = pos;
        pos++;
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        char quote = 0;
        int depth = 0;
        while (true) {
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unclosed '[' at character " + open);
            }
            char c = text.charAt(pos++);
            if (quote != 0) {
                part.append(c);
                if (c == '\\' && pos < text.length()) {
                    part.append(text.charAt(pos++));
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                part.append(c);
            } else if (c == '[' || c == '(') {
                depth++;
                part.append(c);
            } else if ((c == ']' || c == ')') && depth > 0) {
                depth--;
                part.append(c);
            } else if (c == ',' && depth == 0) {
                parts.add(part.toString().trim());
                part.setLength(0);
            } else if (c == ']') {
                parts.add(part.toString().trim());
                break;
            } else {
                part.append(c);
            }
        }
        if (parts.size() == 1) {
            return single(parts.get(0));
        }
        List<JsonPath.Step> members = new ArrayList<>();
        for (String p : parts) {
            members.add(single(p));
        }
        return new JsonPath.Step.Union(members);
    }

    private JsonPath.Step single(String inside) {
        if (inside.equals("*")) {
            return new JsonPath.Step.Wildcard();
        }
        if (inside.length() >= 2 && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')
                && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
            return new JsonPath.Step.Field(inside.substring(1, inside.length() - 1)
                    .replace("\\'", "'").replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        if (inside.startsWith("?")) {
            return JsonPathFilter.parse(inside);
        }
        if (inside.contains(":")) {
            String[] bounds = inside.split(":", -1);
            if (bounds.length > 3) {
                throw new IllegalArgumentException("bad slice '" + inside + "'");
            }
            return new JsonPath.Step.Slice(integer(bounds[0]), integer(bounds[1]),
                    bounds.length == 3 && !bounds[2].isBlank() ? integer(bounds[2]) : 1);
        }
        Integer index = integer(inside);
        if (index == null) {
            throw new IllegalArgumentException("empty brackets");
        }
        return new JsonPath.Step.Index(index);
    }

    private static Integer integer(String s) {
        if (s.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is neither an index nor a quoted name");
        }
    }
}
