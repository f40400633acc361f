package io.dmap.asl.jsonata;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Utils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Jackson trees and the plain Java values the JSONata library works on (Map, List, String,
 * Number, Boolean). JSON null inside objects and arrays is a Java {@code null} (the library's own JSON parser does
 * the same and its lookup tells a present null from a missing key); a JSON null standing alone (a variable's value)
 * is {@link Jsonata#NULL_VALUE}, because a bare Java null would read as "undefined".
 */
final class JsonataValues {

    /** Integral doubles up to 2^53 are exact: they leave JSONata as JSON integers, as JavaScript prints them. */
    private static final double EXACT_INTEGER = 9007199254740992d;

    private JsonataValues() {
    }

    /** A value to bind as a variable: a top-level JSON null must stay a value, not become undefined. */
    static Object binding(JsonNode node) {
        Object value = toJava(node);
        return value == null ? Jsonata.NULL_VALUE : value;
    }

    static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                map.put(e.getKey(), toJava(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(e -> list.add(toJava(e)));
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isInt()) {
            return node.intValue();
        }
        if (node.isLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            // JSONata numbers are IEEE doubles (as in JavaScript): big integers and decimals become doubles
            return node.doubleValue();
        }
        // binary or POJO nodes never come out of JSON text
        return node.asText();
    }

    /**
     * The JSON form of a JSONata result; {@code null} and {@link Jsonata#NULL_VALUE} inside structures are JSON null.
     *
     * @throws IllegalArgumentException a value JSON cannot hold (a function, a regex, NaN or an infinity)
     */
    static JsonNode toJson(Object value) {
        if (value == null || value == Jsonata.NULL_VALUE) {
            return Json.NODES.nullNode();
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = Json.NODES.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = Json.NODES.arrayNode(list.size());
            list.forEach(e -> array.add(toJson(e)));
            return array;
        }
        if (value instanceof String s) {
            return Json.NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return Json.NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Json.NODES.numberNode(((Number) value).intValue());
        }
        if (value instanceof Long l) {
            return integral(l);
        }
        if (value instanceof BigInteger big) {
            return Json.NODES.numberNode(big);
        }
        if (value instanceof BigDecimal decimal) {
            return Json.NODES.numberNode(decimal);
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("the number " + d + " cannot be represented in JSON");
            }
            if (d == Math.rint(d) && Math.abs(d) <= EXACT_INTEGER) {
                return integral((long) d);
            }
            return Json.NODES.numberNode(d);
        }
        throw new IllegalArgumentException("the value is a " + kind(value) + ", which JSON cannot represent");
    }

    private static JsonNode integral(long l) {
        return l == (int) l ? Json.NODES.numberNode((int) l) : Json.NODES.numberNode(l);
    }

    private static String kind(Object value) {
        if (Utils.isFunction(value) || Functions.isLambda(value)) {
            return "function";
        }
        if (value instanceof java.util.regex.Pattern) {
            return "regular expression";
        }
        return value.getClass().getSimpleName();
    }
}
