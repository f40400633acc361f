package io.dmap.asl.jsonata;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StatesError;
import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonataExpressionTest {

    static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    private static final JsonNode STATES = StatesBinding.entry(
            json("{'title':'Doctor','n':3,'price':2.5,'big':12345678901,'nothing':null,'list':[1,2,3],'flag':true}"),
            json("{'Execution':{'Name':'e1'},'Map':{'Item':{'Index':4}}}")).toNode();

    static JsonNode eval(String expression) throws StatesError {
        return JsonataExpression.compile(expression, "Output").evaluate(STATES, Map.of());
    }

    @Test
    void readsStatesInputAndContext() throws Exception {
        assertEquals(json("'Doctor'"), eval("$states.input.title"));
        assertEquals(json("'e1'"), eval("$states.context.Execution.Name"));
        assertEquals(json("4"), eval("$states.context.Map.Item.Index"));
    }

    @Test
    void numbersKeepIntegerAndDecimalApart() throws Exception {
        assertEquals(json("3"), eval("$states.input.n"));
        assertTrue(eval("$states.input.n").isIntegralNumber());
        assertEquals(json("7"), eval("$states.input.n * 2 + 1"));
        assertTrue(eval("$states.input.n * 2 + 1").isIntegralNumber(), "3*2+1 is an integer, not 7.0");
        assertEquals(json("7.5"), eval("$states.input.n * $states.input.price"));
        assertEquals(json("12345678901"), eval("$states.input.big"));
        assertEquals(json("1.5"), eval("3 / 2"));
        assertEquals(json("6"), eval("$sum($states.input.list)"));
    }

    @Test
    void jsonNullIsAValueUndefinedIsNot() throws Exception {
        assertTrue(eval("null").isNull());
        assertTrue(eval("$states.input.nothing").isNull(), "a present null field is null, not undefined");
        assertEquals(json("{'a':null}"), eval("{'a': null}"));
        assertEquals(json("[1,null]"), eval("[1, null]"));
        assertEquals(json("true"), eval("$exists($states.input.nothing)"));
        assertEquals(json("false"), eval("$exists($states.input.missing)"));

        StatesError undefined = assertThrows(StatesError.class, () -> eval("$states.input.missing"));
        assertEquals("States.QueryEvaluationError", undefined.error());
        assertEquals("The JSONata expression '$states.input.missing' specified for the field 'Output' returned"
                + " nothing (undefined).", undefined.cause());
        assertThrows(StatesError.class, () -> eval("$states.input.list[$ > 5]"), "an empty sequence is undefined");
        assertNull(JsonataExpression.compile("$states.input.missing", "Output").evaluateOrUndefined(STATES, Map.of()));
    }

    @Test
    void undefinedInsideAnObjectConstructorIsOmitted() throws Exception {
        assertEquals(json("{'a':1}"), eval("{'a': 1, 'b': $states.input.missing}"));
    }

    @Test
    void variablesAreBoundWithOrWithoutTheDollar() throws Exception {
        JsonataExpression e = JsonataExpression.compile("$customerName & ' ' & $count & ' ' & $string($none)", "Output");
        assertEquals(json("'María 2 null'"), e.evaluate(STATES,
                Map.of("customerName", json("'María'"), "$count", json("2"), "none", json("null"))));
    }

    @Test
    void aVariableCannotShadowStates() throws Exception {
        JsonataExpression e = JsonataExpression.compile("$states.input.title", "Output");
        assertEquals(json("'Doctor'"), e.evaluate(STATES, Map.of("states", json("{'input':{'title':'x'}}"))));
    }

    @Test
    void evaluationErrorsAreQueryEvaluationErrorsNamingTheField() {
        StatesError e = assertThrows(StatesError.class,
                () -> JsonataExpression.compile("$states.input.title + 1", "x", "Arguments/Payload/n").evaluate(STATES, Map.of()));
        assertEquals("States.QueryEvaluationError", e.error());
        assertTrue(e.cause().startsWith("The JSONata expression '$states.input.title + 1' specified for the field"
                + " 'Arguments/Payload/n' threw an error during evaluation. T2001: "), e.cause());
        StatesError signature = assertThrows(StatesError.class, () -> eval("$range('0', 4, 1)"));
        assertEquals("The JSONata expression '$range('0', 4, 1)' specified for the field 'Output' threw an error"
                + " during evaluation. T0410: Argument 1 of function \"range\" does not match function signature",
                signature.cause());
    }

    @Test
    void aFunctionIsNotAJsonResult() {
        StatesError e = assertThrows(StatesError.class, () -> eval("function($x) { $x }"));
        assertEquals("States.QueryEvaluationError", e.error());
        assertTrue(e.cause().contains("function"), e.cause());
        assertThrows(StatesError.class, () -> eval("$uppercase"));
    }

    @Test
    void syntaxErrorsAreSpecExceptionsNamingThePath() {
        SpecException e = assertThrows(SpecException.class,
                () -> JsonataExpression.compile("$states.input.(", "ItemProcessor.States.A.Output"));
        assertEquals("ItemProcessor.States.A.Output", e.field());
        assertTrue(e.reason().startsWith("the JSONata expression '$states.input.(' is invalid: S0"), e.reason());
        assertThrows(SpecException.class, () -> JsonataExpression.compile("  ", "Output"));
    }

    @Test
    void evalIsRejectedWhenCompiledAndCannotBeCalled() {
        SpecException direct = assertThrows(SpecException.class, () -> JsonataExpression.compile("$eval('1+1')", "Output"));
        assertTrue(direct.reason().contains("$eval, which Step Functions does not support"), direct.reason());
        assertThrows(SpecException.class, () -> JsonataExpression.compile("($f := $eval; $f('1'))", "Output"));
        assertThrows(SpecException.class, () -> JsonataExpression.compile("$eval ('1')", "Output"));
    }

    @Test
    void evalInsideStringsAndNamesIsNotAReference() throws Exception {
        assertEquals(json("'$eval(1)'"), eval("'$eval(1)'"));
        assertEquals(json("'x'"), eval("/* $eval */ 'x'"));
        assertEquals(json("'y'"), JsonataExpression.compile("$evaluate", "Output")
                .evaluate(STATES, Map.of("evaluate", json("'y'"))));
    }

    @Test
    void standardFunctionsWork() throws Exception {
        assertEquals(json("'DOCTOR'"), eval("$uppercase($states.input.title)"));
        assertEquals(json("[2,4,6]"), eval("$map($states.input.list, function($v) { $v * 2 })"));
        assertEquals(json("{'Doctor':3}"), eval("{$states.input.title: $states.input.n}"));
        assertEquals(json("'3'"), eval("$string($states.input.n)"));
        assertEquals(json("[1,2,3]"), eval("$states.input.list"));
        assertEquals(json("[1]"), eval("[$states.input.list[0]]"));
        assertEquals(json("1"), eval("$states.input.list[0]"));
    }

    @Test
    void nowIsTheTimeOfThisEvaluation() throws Exception {
        JsonataExpression millis = JsonataExpression.compile("$millis()", "Output");
        long before = System.currentTimeMillis();
        Thread.sleep(5);
        // another expression compiled later on this thread leaves the library's per-thread clock behind
        JsonataExpression.compile("$now()", "Output");
        long value = millis.evaluate(STATES, Map.of()).longValue();
        assertTrue(value >= before, "$millis() " + value + " is older than the evaluation (" + before + ")");
        String now = eval("$now()").asText();
        assertTrue(now.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), now);
    }

    @Test
    void textAndFieldAreKept() {
        JsonataExpression e = JsonataExpression.compile(" $states.input ", "ItemSelector.a", "ItemSelector/a");
        assertEquals("$states.input", e.text());
        assertEquals("ItemSelector/a", e.field());
    }
}
