package io.dmap.asl.jsonata;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Jsonata.Frame;
import com.dashjoin.jsonata.Utils;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StatesError;
import io.dmap.common.spec.SpecException;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One JSONata expression (the text between {@code {%} and {@code %}}), parsed once when the definition is parsed and
 * evaluated by many lanes at once. Parsing is done by {@code com.dashjoin:jsonata}; this class only binds
 * {@code $states}, the workflow variables and the Step Functions functions, and turns the result into JSON.
 *
 * <p>Thread safety: the library's parsed tree is shared and read-only; every evaluation gets its own frame (the
 * library copies it), so nothing an evaluation binds is seen by another one. {@code $now()} is re-bound per
 * evaluation (see {@link StepFunctionsFunctions#bindInto}).
 *
 * <p>Errors are AWS's: a failed evaluation or an undefined result is {@code States.QueryEvaluationError}, naming
 * the expression and the field it was written in (AWS-REFERENCE.md 6.6, 8.11).
 */
public final class JsonataExpression {

    public static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";

    private final String text;
    private final String field;
    private final Jsonata compiled;

    private JsonataExpression(String text, String field, Jsonata compiled) {
        this.text = text;
        this.field = field;
        this.compiled = compiled;
    }

    /** Compiles {@code expression}; {@code fieldPath} names it in validation problems and in run-time errors. */
    public static JsonataExpression compile(String expression, String fieldPath) {
        return compile(expression, fieldPath, fieldPath);
    }

    /**
     * Compiles {@code expression}. {@code fieldPath} is where it sits in the posted definition (for a
     * {@link SpecException}); {@code field} is how AWS names it in a run-time error: relative to its state, with
     * {@code /} before each key and {@code [i]} for array elements ({@code Arguments/Input/bucket}).
     */
    public static JsonataExpression compile(String expression, String fieldPath, String field) {
        Objects.requireNonNull(expression, "expression");
        if (expression.isBlank()) {
            throw new SpecException(fieldPath, "the JSONata expression is empty");
        }
        String eval = EvalReference.find(expression);
        if (eval != null) {
            throw new SpecException(fieldPath, "the JSONata expression '" + expression.strip() + "' uses " + eval
                    + ", which Step Functions does not support; use $parse to read JSON text");
        }
        try {
            Jsonata compiled = Jsonata.jsonata(expression);
            compiled.setValidateInput(false); // our input is built by JsonataValues: JSON types only
            return new JsonataExpression(expression.strip(), field, compiled);
        } catch (JException e) {
            throw new SpecException(fieldPath, "the JSONata expression '" + expression.strip()
                    + "' is invalid: " + JsonataMessages.of(e)
                    + (e.getLocation() >= 0 ? " (at position " + e.getLocation() + ")" : ""));
        } catch (RuntimeException e) {
            // the parser throws plain exceptions for a few malformed inputs
            throw new SpecException(fieldPath, "the JSONata expression '" + expression.strip()
                    + "' is invalid: " + e);
        }
    }

    /** The expression text, without the {@code {% %}} delimiters. */
    public String text() {
        return text;
    }

    /** How run-time errors name the field ({@code Output}, {@code Arguments/Input/bucket}). */
    public String field() {
        return field;
    }

    /**
     * Evaluates against {@code $states} (see {@link StatesBinding}) and the workflow variables (names with or
     * without the leading {@code $}). An undefined result is an error: JSON has no undefined.
     */
    public JsonNode evaluate(JsonNode statesBinding, Map<String, JsonNode> variables) throws StatesError {
        return evaluate(Bindings.of(statesBinding, variables));
    }

    JsonNode evaluate(Bindings bindings) throws StatesError {
        JsonNode result = evaluateOrUndefined(bindings);
        if (result == null) {
            throw new StatesError(QUERY_EVALUATION_ERROR, "The JSONata expression '" + text
                    + "' specified for the field '" + field + "' returned nothing (undefined).");
        }
        return result;
    }

    /** As {@link #evaluate}, but an undefined result is {@code null} (for callers where undefined means "omit"). */
    public JsonNode evaluateOrUndefined(JsonNode statesBinding, Map<String, JsonNode> variables) throws StatesError {
        return evaluateOrUndefined(Bindings.of(statesBinding, variables));
    }

    JsonNode evaluateOrUndefined(Bindings bindings) throws StatesError {
        Frame frame = new Frame(null);
        bindings.bindInto(frame);
        StepFunctionsFunctions.bindInto(frame, System.currentTimeMillis());
        RootResult root = new RootResult();
        frame.setEvaluateExitCallback(root);
        Object value;
        try {
            value = compiled.evaluate(null, frame);
        } catch (JException e) {
            throw failure(JsonataMessages.of(e));
        } catch (StepFunctionsFunctions.FunctionFailure e) {
            throw failure(e.getMessage());
        } catch (StackOverflowError e) {
            throw failure("the expression recursed too deeply");
        } catch (RuntimeException e) {
            throw failure(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (value == null) {
            return root.wasNull() ? JsonataValues.toJson(null) : null;
        }
        try {
            return JsonataValues.toJson(value);
        } catch (IllegalArgumentException e) {
            throw new StatesError(QUERY_EVALUATION_ERROR, "The JSONata expression '" + text
                    + "' specified for the field '" + field + "' returned an unexpected result: " + e.getMessage());
        }
    }

    private StatesError failure(String detail) {
        return new StatesError(QUERY_EVALUATION_ERROR, "The JSONata expression '" + text
                + "' specified for the field '" + field + "' threw an error during evaluation. " + detail);
    }

    @Override
    public String toString() {
        return "{% " + text + " %}";
    }

    /**
     * The library turns JSON null into Java null on the way out, the same null as "undefined"; the value the root
     * of the tree produced (the last exit callback of an evaluation) still tells them apart.
     */
    private static final class RootResult implements Jsonata.ExitCallback {
        private Object last;

        @Override
        public void callback(com.dashjoin.jsonata.Parser.Symbol expr, Object input, Frame environment, Object result) {
            last = result;
        }

        boolean wasNull() {
            if (last == Jsonata.NULL_VALUE) {
                return true;
            }
            return last instanceof List<?> list && Utils.isSequence(list) && list.size() == 1
                    && list.get(0) == Jsonata.NULL_VALUE;
        }
    }
}
