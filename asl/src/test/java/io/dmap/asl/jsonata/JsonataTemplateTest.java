package io.dmap.asl.jsonata;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StatesError;
import io.dmap.common.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.dmap.asl.jsonata.JsonataExpressionTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonataTemplateTest {

    /**
     * The conversion example of "Transforming data with JSONata in Step Functions"
     * (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html): input {"title":"Doctor"} and
     * the variable customerName = "María".
     */
    @Test
    void awsDocumentationArgumentsExample() throws Exception {
        JsonataTemplate arguments = JsonataTemplate.compile(json("{'static':'Hello',"
                + "'title':'{% $states.input.title %}','name':'{% $customerName %}','not-evaluated':'$customerName'}"),
                "States.Task.Arguments", "Arguments");
        JsonNode states = StatesBinding.entry(json("{'title':'Doctor'}"), json("{}")).toNode();
        assertEquals(json("{'static':'Hello','title':'Doctor','name':'María','not-evaluated':'$customerName'}"),
                arguments.evaluate(states, Map.of("customerName", json("'María'"))));
    }

    @Test
    void expressionsAtAnyDepthLiteralsElsewhere() throws Exception {
        JsonataTemplate t = JsonataTemplate.compile(json("{'a':[1,'{% $states.input.n + 1 %}',{'b':'{% $x %}'}],"
                + "'c':true,'d':null,'e':'plain {% not %}','f':2.5}"), "Output");
        assertFalse(t.isLiteral());
        assertEquals(json("{'a':[1,4,{'b':[1,2]}],'c':true,'d':null,'e':'plain {% not %}','f':2.5}"),
                t.evaluate(StatesBinding.entry(json("{'n':3}"), null).toNode(), Map.of("x", json("[1,2]"))));
    }

    @Test
    void aWholeValueExpressionMayProduceAnyJson() throws Exception {
        JsonataTemplate t = JsonataTemplate.compile(json("'{% $states.input %}'"), "Output");
        JsonNode input = json("{'k':[1,{'z':null}]}");
        assertEquals(input, t.evaluate(StatesBinding.entry(input, null).toNode(), Map.of()));
    }

    @Test
    void literalsEvaluateToACopyOfThemselves() throws Exception {
        JsonNode value = json("{'a':[1,2],'b':'x'}");
        JsonataTemplate t = JsonataTemplate.compile(value, "Output");
        assertTrue(t.isLiteral());
        JsonNode out = t.evaluate(null, Map.of());
        assertEquals(value, out);
        ((com.fasterxml.jackson.databind.node.ObjectNode) out).put("b", "changed");
        assertEquals(json("'x'"), t.evaluate(null, Map.of()).get("b"), "a caller's change must not leak");
    }

    @Test
    void isExpressionNeedsBothDelimitersAndNothingOutside() {
        assertTrue(JsonataTemplate.isExpression(json("'{% 1 %}'")));
        assertTrue(JsonataTemplate.isExpression(json("'{%1%}'")));
        assertFalse(JsonataTemplate.isExpression(json("' {% 1 %}'")));
        assertFalse(JsonataTemplate.isExpression(json("'{% 1 %} '")));
        assertFalse(JsonataTemplate.isExpression(json("'{%}'")));
        assertFalse(JsonataTemplate.isExpression(json("1")));
        assertFalse(JsonataTemplate.isExpression((JsonNode) null));
    }

    @Test
    void anUnclosedExpressionIsAValidationErrorAtItsPath() {
        SpecException e = assertThrows(SpecException.class,
                () -> JsonataTemplate.compile(json("{'a':{'b':['ok','{% $x %} ']}}"), "ItemSelector"));
        assertEquals("ItemSelector.a.b[1]", e.field());
        assertTrue(e.reason().contains("does not end with '%}'"), e.reason());
        SpecException syntax = assertThrows(SpecException.class,
                () -> JsonataTemplate.compile(json("{'a':'{% $x + %}'}"), "Output"));
        assertEquals("Output.a", syntax.field());
    }

    @Test
    void anUndefinedNestedValueFailsNamingAwsFieldPath() {
        JsonataTemplate t = JsonataTemplate.compile(json("{'Input':{'pushLocation':'{% $states.input.pushLocation %}'}}"),
                "States.Run.Arguments", "Arguments");
        StatesError e = assertThrows(StatesError.class,
                () -> t.evaluate(StatesBinding.entry(json("{}"), null).toNode(), Map.of()));
        assertEquals("States.QueryEvaluationError", e.error());
        // the text AWS gives for this case (recorded in a real execution's failure)
        assertEquals("The JSONata expression '$states.input.pushLocation' specified for the field"
                + " 'Arguments/Input/pushLocation' returned nothing (undefined).", e.cause());
        JsonataTemplate array = JsonataTemplate.compile(json("['{% $nope %}']"), "Output");
        StatesError inArray = assertThrows(StatesError.class, () -> array.evaluate(null, Map.of()));
        assertTrue(inArray.cause().contains("'Output[0]'"), inArray.cause());
    }

    @Test
    void statesBindingOmitsWhatIsNotThere() throws Exception {
        StatesBinding b = StatesBinding.entry(json("{'a':1}"), json("{'State':{'Name':'S'}}"));
        assertEquals(json("{'input':{'a':1},'context':{'State':{'Name':'S'}}}"), b.toNode());
        JsonataTemplate result = JsonataTemplate.compile(json("'{% $states.result.v %}'"), "Output");
        assertThrows(StatesError.class, () -> result.evaluate(b.toNode(), Map.of()));
        assertEquals(json("2"), result.evaluate(b.withResult(json("{'v':2}")).toNode(), Map.of()));
        JsonataTemplate error = JsonataTemplate.compile(json("'{% $states.errorOutput.Error %}'"), "Output");
        assertEquals(json("'States.TaskFailed'"), error.evaluate(
                b.withErrorOutput(json("{'Error':'States.TaskFailed','Cause':'x'}")).toNode(), Map.of()));
    }
}
