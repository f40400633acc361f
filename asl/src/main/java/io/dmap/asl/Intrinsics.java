package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.asl.IntrinsicParser.Expr;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The intrinsic functions of the States Language ({@code States.Format}, {@code States.Array}, ...). */
final class Intrinsics {

    private Intrinsics() {
    }

    /** Parses an intrinsic call; throws IllegalArgumentException saying where it is malformed. */
    static Expr.Call compile(String expression) {
        Expr.Call call = new IntrinsicParser(expression).parse();
        check(call);
        return call;
    }

    private static void check(Expr.Call call) {
        if (!FUNCTIONS.contains(call.name())) {
            throw new IllegalArgumentException("unknown intrinsic function " + call.name());
        }
        for (Expr arg : call.args()) {
            if (arg instanceof Expr.Call inner) {
                check(inner);
            } else if (arg instanceof Expr.Path p) {
                PathRef.compile(p.path());
            }
        }
    }

    static final Set<String> FUNCTIONS = Set.of("States.Format", "States.StringToJson", "States.JsonToString",
            "States.Array", "States.ArrayPartition", "States.ArrayContains", "States.ArrayRange", "States.ArrayGetItem",
            "States.ArrayLength", "States.ArrayUnique", "States.Base64Encode", "States.Base64Decode", "States.Hash",
            "States.JsonMerge", "States.MathRandom", "States.MathAdd", "States.StringSplit", "States.UUID");

    /** Evaluates {@code expression} over an input and a context object, without variables. */
    static JsonNode evaluate(String expression, JsonNode input, JsonNode context) throws StatesError {
        Expr.Call call;
        try {
            call = new IntrinsicParser(expression).parse();
        } catch (IllegalArgumentException e) {
            throw StatesError.runtime("Invalid intrinsic function '" + expression + "': " + e.getMessage());
        }
        return evaluate(call, Scope.entry(input, context, Variables.root()));
    }

    static JsonNode evaluate(Expr.Call call, Scope scope) throws StatesError {
        try {
            return call(call, scope);
        } catch (StatesError e) {
            throw e;
        } catch (RuntimeException e) {
            throw StatesError.runtime("The intrinsic function " + call.name() + " failed: " + e.getMessage());
        }
    }

    private static JsonNode value(Expr expr, Scope scope) throws StatesError {
        if (expr instanceof Expr.Literal l) {
            return l.value();
        }
        if (expr instanceof Expr.Text t) {
            return Json.NODES.textNode(t.value());
        }
        if (expr instanceof Expr.Path p) {
            PathRef path;
            try {
                path = PathRef.compile(p.path());
            } catch (IllegalArgumentException e) {
                throw StatesError.runtime("Invalid path '" + p.path() + "': " + e.getMessage());
            }
            JsonNode v = path.read(scope);
            if (v == null) {
                throw StatesError.runtime("The JSONPath '" + p.path() + "' could not be found in the input");
            }
            return v;
        }
        return call((Expr.Call) expr, scope);
    }

    private static JsonNode call(Expr.Call call, Scope scope) throws StatesError {
        List<JsonNode> a = new ArrayList<>();
        for (Expr arg : call.args()) {
            a.add(value(arg, scope));
        }
        String name = call.name();
        return switch (name) {
            case "States.Format" -> format(call, a);
            case "States.StringToJson" -> Json.parse(text(a, 0, name, 1));
            case "States.JsonToString" -> Json.NODES.textNode(Json.toString(arg(a, 0, name, 1)));
            case "States.Array" -> {
                ArrayNode out = Json.NODES.arrayNode();
                a.forEach(out::add);
                yield out;
            }
            case "States.ArrayPartition" -> partition(array(a, 0, name, 2), integer(a, 1, name, 2));
            case "States.ArrayContains" -> Json.NODES.booleanNode(contains(array(a, 0, name, 2), arg(a, 1, name, 2)));
            case "States.ArrayRange" -> range(integer(a, 0, name, 3), integer(a, 1, name, 3), integer(a, 2, name, 3));
            case "States.ArrayGetItem" -> {
                JsonNode item = array(a, 0, name, 2).get(integer(a, 1, name, 2));
                if (item == null) {
                    throw new IllegalArgumentException("index out of bounds");
                }
                yield item;
            }
            case "States.ArrayLength" -> Json.NODES.numberNode(array(a, 0, name, 1).size());
            case "States.ArrayUnique" -> unique(array(a, 0, name, 1));
            case "States.Base64Encode" -> Json.NODES.textNode(Base64.getEncoder()
                    .encodeToString(text(a, 0, name, 1).getBytes(StandardCharsets.UTF_8)));
            case "States.Base64Decode" -> Json.NODES.textNode(new String(Base64.getDecoder()
                    .decode(text(a, 0, name, 1)), StandardCharsets.UTF_8));
            case "States.Hash" -> Json.NODES.textNode(hash(text(a, 0, name, 2), text(a, 1, name, 2)));
            case "States.JsonMerge" -> merge(arg(a, 0, name, 3), arg(a, 1, name, 3), arg(a, 2, name, 3));
            case "States.MathRandom" -> random(a, name);
            case "States.MathAdd" -> Json.NODES.numberNode(Math.addExact(integer(a, 0, name, 2), integer(a, 1, name, 2)));
            case "States.StringSplit" -> split(text(a, 0, name, 2), text(a, 1, name, 2));
            case "States.UUID" -> {
                count(a, name, 0);
                yield Json.NODES.textNode(UUID.randomUUID().toString());
            }
            default -> throw StatesError.runtime("Unknown intrinsic function " + name);
        };
    }

    private static JsonNode format(Expr.Call call, List<JsonNode> a) {
        if (a.isEmpty()) {
            throw new IllegalArgumentException("the first argument must be a string");
        }
        String value;
        List<Integer> placeholders;
        if (call.args().get(0) instanceof Expr.Text template) {
            value = template.value();
            placeholders = template.placeholders();
        } else if (a.get(0).isTextual()) {
            // a template read from the input (AWS's example: States.Format($.template, $.name)): every {} counts
            value = a.get(0).asText();
            placeholders = new java.util.ArrayList<>();
            for (int at = value.indexOf("{}"); at >= 0; at = value.indexOf("{}", at + 2)) {
                placeholders.add(at);
            }
        } else {
            throw new IllegalArgumentException("the first argument must be a string");
        }
        if (placeholders.size() != a.size() - 1) {
            throw new IllegalArgumentException("the template has " + placeholders.size()
                    + " placeholders but " + (a.size() - 1) + " values were given");
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int i = 0; i < placeholders.size(); i++) {
            int at = placeholders.get(i);
            out.append(value, from, at);
            JsonNode v = a.get(i + 1);
            if (v.isContainerNode()) {
                throw new IllegalArgumentException("values must be strings, numbers, booleans or null");
            }
            out.append(v.isTextual() ? v.asText() : Json.toString(v));
            from = at + 2;
        }
        out.append(value.substring(from));
        return Json.NODES.textNode(out.toString());
    }

    private static JsonNode partition(JsonNode array, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("the chunk size must be positive");
        }
        ArrayNode out = Json.NODES.arrayNode();
        ArrayNode chunk = null;
        for (JsonNode e : array) {
            if (chunk == null || chunk.size() == size) {
                chunk = out.addArray();
            }
            chunk.add(e);
        }
        return out;
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode e : array) {
            if (e.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode range(int start, int end, int step) {
        if (step == 0) {
            throw new IllegalArgumentException("the step must not be 0");
        }
        ArrayNode out = Json.NODES.arrayNode();
        for (long i = start; step > 0 ? i <= end : i >= end; i += step) {
            if (out.size() >= 1000) {
                throw new IllegalArgumentException("at most 1000 elements");
            }
            out.add((int) i);
        }
        return out;
    }

    private static JsonNode unique(JsonNode array) {
        Set<JsonNode> seen = new LinkedHashSet<>();
        array.forEach(seen::add);
        ArrayNode out = Json.NODES.arrayNode();
        seen.forEach(out::add);
        return out;
    }

    private static String hash(String data, String algorithm) {
        String jdk = switch (algorithm) {
            case "MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512" -> algorithm;
            default -> throw new IllegalArgumentException("unsupported algorithm '" + algorithm
                    + "' (MD5, SHA-1, SHA-256, SHA-384, SHA-512)");
        };
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jdk).digest(data.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode merge(JsonNode left, JsonNode right, JsonNode deep) {
        if (!left.isObject() || !right.isObject()) {
            throw new IllegalArgumentException("both values must be objects");
        }
        if (deep.asBoolean(false)) {
            throw new IllegalArgumentException("deep merging is not supported (the third argument must be false)");
        }
        ObjectNode out = left.deepCopy();
        out.setAll((ObjectNode) right.deepCopy());
        return out;
    }

    private static JsonNode random(List<JsonNode> a, String name) {
        if (a.size() < 2 || a.size() > 3) {
            throw new IllegalArgumentException(name + " takes 2 or 3 arguments");
        }
        int start = integer(a, 0, name, a.size());
        int end = integer(a, 1, name, a.size());
        if (end <= start) {
            throw new IllegalArgumentException("the end must be greater than the start");
        }
        Random random = a.size() == 3 ? new Random(integer(a, 2, name, 3)) : ThreadLocalRandom.current();
        return Json.NODES.numberNode(start + random.nextInt(end - start));
    }

    private static JsonNode split(String text, String delimiters) {
        ArrayNode out = Json.NODES.arrayNode();
        StringBuilder part = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (delimiters.indexOf(c) >= 0) {
                if (part.length() > 0) {
                    out.add(part.toString());
                }
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        if (part.length() > 0) {
            out.add(part.toString());
        }
        return out;
    }

    private static void count(List<JsonNode> a, String name, int expected) {
        if (a.size() != expected) {
            throw new IllegalArgumentException(name + " takes " + expected + " argument" + (expected == 1 ? "" : "s")
                    + ", got " + a.size());
        }
    }

    private static JsonNode arg(List<JsonNode> a, int i, String name, int expected) {
        count(a, name, expected);
        return a.get(i);
    }

    private static String text(List<JsonNode> a, int i, String name, int expected) {
        JsonNode v = arg(a, i, name, expected);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("argument " + (i + 1) + " must be a string");
        }
        return v.asText();
    }

    private static int integer(List<JsonNode> a, int i, String name, int expected) {
        JsonNode v = arg(a, i, name, expected);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("argument " + (i + 1) + " must be an integer");
        }
        return v.intValue();
    }

    private static JsonNode array(List<JsonNode> a, int i, String name, int expected) {
        JsonNode v = arg(a, i, name, expected);
        if (!v.isArray()) {
            throw new IllegalArgumentException("argument " + (i + 1) + " must be an array");
        }
        return v;
    }
}
