package io.dmap.asl;

import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.dmap.asl.Machines.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSONata in child states (AWS-REFERENCE.md 6.1-6.6). */
class JsonataStatesTest {

    private final List<String> calls = new ArrayList<>();
    private final Machines m = new Machines((resource, p) -> {
        calls.add(Json.toString(p));
        return json("{'Payload':{'total':42}}");
    });

    private ExecutionResult run(String machine, String input) {
        return m.interpreter.run(Json.parse(machine), Json.parse(input), ExecutionContext.of("exec-1"));
    }

    @Test
    void argumentsOutputAndAssignOfATask() {
        ExecutionResult r = run("""
                {"QueryLanguage":"JSONata","StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                       "Arguments":{"FunctionName":"f","Payload":{"n":"{% $states.input.n * 2 %}"}},
                       "Assign":{"total":"{% $states.result.Payload.total %}"},
                       "Output":{"got":"{% $states.result.Payload.total %}","in":"{% $states.input %}"},
                       "Next":"U"},
                  "U":{"Type":"Pass","Output":"{% $total + 1 %}","End":true}}}""", "{\"n\":4}");
        assertEquals(json("43"), r.output(), r.cause());
        assertEquals(List.of("{\"FunctionName\":\"f\",\"Payload\":{\"n\":8}}"), calls);
    }

    @Test
    void aStateLevelQueryLanguageOverridesTheMachine() {
        ExecutionResult r = run("""
                {"StartAt":"P","States":{
                  "P":{"Type":"Pass","Parameters":{"a.$":"$.x"},"Next":"Q"},
                  "Q":{"Type":"Pass","QueryLanguage":"JSONata","Output":{"b":"{% $states.input.a %}"},"End":true}}}""",
                "{\"x\":5}");
        assertEquals(json("{'b':5}"), r.output(), r.cause());
    }

    @Test
    void choiceConditionAndRuleOutput() {
        String machine = """
                {"QueryLanguage":"JSONata","StartAt":"C","States":{
                  "C":{"Type":"Choice","Choices":[
                        {"Condition":"{% $states.input.n > 10 %}","Output":{"big":true},"Next":"Done"}],
                       "Default":"Small"},
                  "Small":{"Type":"Pass","Output":{"big":false},"Next":"Done"},
                  "Done":{"Type":"Succeed"}}}""";
        assertEquals(json("{'big':true}"), run(machine, "{\"n\":11}").output());
        assertEquals(json("{'big':false}"), run(machine, "{\"n\":1}").output());
    }

    @Test
    void inlineMapWithItemsAndItemSelector() {
        ExecutionResult r = run("""
                {"QueryLanguage":"JSONata","StartAt":"M","States":{
                  "M":{"Type":"Map","Items":"{% $states.input.xs %}",
                       "ItemSelector":{"v":"{% $states.context.Map.Item.Value %}","i":"{% $states.context.Map.Item.Index %}"},
                       "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% $states.input.v * 10 + $states.input.i %}","End":true}}},
                       "End":true}}}""", "{\"xs\":[1,2,3]}");
        assertEquals(json("[10,21,32]"), r.output(), r.cause());
    }

    @Test
    void waitSecondsAndFailTextsAsExpressions() {
        ExecutionResult r = run("""
                {"QueryLanguage":"JSONata","StartAt":"W","States":{
                  "W":{"Type":"Wait","Seconds":"{% $states.input.s %}","Next":"F"},
                  "F":{"Type":"Fail","Error":"{% 'E' & $states.input.s %}","Cause":"{% $string($states.input) %}"}}}""",
                "{\"s\":3}");
        assertEquals(List.of(java.time.Duration.ofSeconds(3)), m.sleeps);
        assertEquals(ExecutionResult.failed("E3", "{\"s\":3}"), r);
    }

    @Test
    void aCatchOutputSeesTheErrorOutput() {
        Machines failing = new Machines((resource, p) -> {
            throw new StatesError("Boom", "broken");
        });
        ExecutionResult r = failing.interpreter.run(Json.parse("""
                {"QueryLanguage":"JSONata","StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{},
                       "Catch":[{"ErrorEquals":["States.ALL"],"Output":{"e":"{% $states.errorOutput.Error %}"},"Next":"D"}],"End":true},
                  "D":{"Type":"Succeed"}}}"""), json("{}"), ExecutionContext.of("x"));
        assertEquals(json("{'e':'Boom'}"), r.output(), r.cause());
    }

    @Test
    void aFailingExpressionIsAQueryEvaluationErrorThatCanBeCaught() {
        ExecutionResult r = run("""
                {"QueryLanguage":"JSONata","StartAt":"P","States":{
                  "P":{"Type":"Pass","Output":"{% $states.input.missing.deeper %}","End":true}}}""", "{}");
        assertEquals("States.QueryEvaluationError", r.error(), r.cause());
        ExecutionResult badWait = run("""
                {"QueryLanguage":"JSONata","StartAt":"W","States":{
                  "W":{"Type":"Wait","Seconds":"{% 'soon' %}","End":true}}}""", "{}");
        assertEquals("States.QueryEvaluationError", badWait.error(), badWait.cause());
    }

    @Test
    void aBadExpressionIsRejectedWithItsPath() {
        SpecException e = assertThrows(SpecException.class, () -> StateMachine.compile(Json.parse("""
                {"QueryLanguage":"JSONata","StartAt":"P","States":{
                  "P":{"Type":"Pass","Output":{"a":"{% $states.input.( %}"},"Assign":{"b":"{% 1 + %}"},"End":true}}}"""),
                "ItemProcessor"));
        List<String> fields = e.problems().stream().map(SpecException.Problem::field).toList();
        assertTrue(fields.contains("ItemProcessor.States.P.Output.a"), e.getMessage());
        assertTrue(fields.contains("ItemProcessor.States.P.Assign.b"), e.getMessage());
    }
}
