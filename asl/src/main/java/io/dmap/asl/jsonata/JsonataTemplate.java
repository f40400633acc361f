package io.dmap.asl.jsonata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.asl.StatesError;
import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A field value of a JSONata state ({@code Arguments}, {@code Output}, {@code Assign}, {@code Items}, ...), compiled
 * once: a string that is exactly {@code "{% expr %}"} is an expression, objects and arrays are walked (expressions may
 * sit at any depth), everything else is a literal (AWS-REFERENCE.md 6.2). A string that opens with {@code {%} but does
 * not close with {@code %}} is a mistake AWS rejects at validation, and so does dmap.
 */
public final class JsonataTemplate {

    private static final String OPEN = "{%";
    private static final String CLOSE = "%}";

    private sealed interface Part permits Literal, Expression, ObjectPart, ArrayPart {
    }

    private record Literal(JsonNode value) implements Part {
    }

    private record Expression(JsonataExpression expression) implements Part {
    }

    private record Field(String name, Part value) {
    }

    private record ObjectPart(List<Field> fields) implements Part {
    }

    private record ArrayPart(List<Part> elements) implements Part {
    }

    private final Part root;

    private JsonataTemplate(Part root) {
        this.root = root;
    }

    /** {@code true} if {@code value} is a string that is exactly one {@code {% ... %}} expression. */
    public static boolean isExpression(JsonNode value) {
        return value != null && value.isTextual() && isExpression(value.textValue());
    }

    public static boolean isExpression(String value) {
        return value != null && value.length() >= OPEN.length() + CLOSE.length()
                && value.startsWith(OPEN) && value.endsWith(CLOSE);
    }

    /** Compiles {@code value}; {@code fieldPath} names it in validation problems and in run-time errors. */
    public static JsonataTemplate compile(JsonNode value, String fieldPath) {
        return compile(value, fieldPath, fieldPath);
    }

    /**
     * Compiles {@code value}: {@code fieldPath} is its place in the posted definition (nested values get
     * {@code .key} and {@code [i]}); {@code field} is AWS's state-relative name for run-time errors (nested values
     * get {@code /key} and {@code [i]}, as in AWS's {@code 'Arguments/Input/bucket'}).
     */
    public static JsonataTemplate compile(JsonNode value, String fieldPath, String field) {
        return new JsonataTemplate(part(value, fieldPath, field));
    }

    private static Part part(JsonNode value, String fieldPath, String field) {
        if (value == null || value.isMissingNode()) {
            return new Literal(Json.NODES.nullNode());
        }
        if (value.isTextual()) {
            String text = value.textValue();
            if (isExpression(text)) {
                String inner = text.substring(OPEN.length(), text.length() - CLOSE.length());
                return new Expression(JsonataExpression.compile(inner, fieldPath, field));
            }
            if (text.startsWith(OPEN)) {
                throw new SpecException(fieldPath, "the value starts with '{%' but does not end with '%}': a JSONata"
                        + " expression is written \"{% expression %}\", with nothing before '{%' or after '%}'");
            }
            return new Literal(value);
        }
        if (value.isObject()) {
            List<Field> fields = new ArrayList<>(value.size());
            Iterator<Map.Entry<String, JsonNode>> it = value.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.add(new Field(e.getKey(),
                        part(e.getValue(), fieldPath + "." + e.getKey(), field + "/" + e.getKey())));
            }
            return fields.stream().allMatch(f -> f.value() instanceof Literal) ? new Literal(value) : new ObjectPart(fields);
        }
        if (value.isArray()) {
            List<Part> elements = new ArrayList<>(value.size());
            for (int i = 0; i < value.size(); i++) {
                elements.add(part(value.get(i), fieldPath + "[" + i + "]", field + "[" + i + "]"));
            }
            return elements.stream().allMatch(e -> e instanceof Literal) ? new Literal(value) : new ArrayPart(elements);
        }
        return new Literal(value);
    }

    /** {@code true} if the value holds no expression: it evaluates to itself. */
    public boolean isLiteral() {
        return root instanceof Literal;
    }

    /**
     * Evaluates every expression against {@code $states} and the variables. An expression that is undefined fails
     * with {@code States.QueryEvaluationError}, wherever it sits (as on AWS).
     */
    public JsonNode evaluate(JsonNode statesBinding, Map<String, JsonNode> variables) throws StatesError {
        if (root instanceof Literal literal) {
            return literal.value().deepCopy();
        }
        return evaluate(root, Bindings.of(statesBinding, variables));
    }

    private static JsonNode evaluate(Part part, Bindings bindings) throws StatesError {
        if (part instanceof Literal literal) {
            return literal.value().deepCopy();
        }
        if (part instanceof Expression expression) {
            return expression.expression().evaluate(bindings);
        }
        if (part instanceof ObjectPart object) {
            ObjectNode out = Json.NODES.objectNode();
            for (Field f : object.fields()) {
                out.set(f.name(), evaluate(f.value(), bindings));
            }
            return out;
        }
        ArrayNode out = Json.NODES.arrayNode();
        for (Part e : ((ArrayPart) part).elements()) {
            out.add(evaluate(e, bindings));
        }
        return out;
    }
}
