package io.dmap.asl;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.dmap.asl.Machines.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StateMachineInterpreterTest {

    private final Machines m = new Machines();

    @Test
    void passWithResultAndResultPath() {
        ExecutionResult r = m.runState("{'Type':'Pass','Result':{'x':1},'ResultPath':'$.r','End':true}", "{'a':2}");
        assertEquals(ExecutionResult.succeeded(json("{'a':2,'r':{'x':1}}")), r);
    }

    @Test
    void passWithoutResultPassesItsInputOn() {
        assertEquals(json("{'a':2}"), m.runState("{'Type':'Pass','End':true}", "{'a':2}").output());
    }

    @Test
    void specParametersExample() {
        ExecutionResult r = m.runState("{'Type':'Pass','Parameters':{'flagged':true,'parts':{'first.$':'$.vals[0]',"
                + "'last3.$':'$.vals[3:]'}},'End':true}", "{'flagged':true,'vals':[0,10,20,30,40,50]}");
        assertEquals(json("{'flagged':true,'parts':{'first':0,'last3':[30,40,50]}}"), r.output());
    }

    @Test
    void parametersReadTheContextObject() {
        ExecutionResult r = m.runState("{'Type':'Pass','Parameters':{'name.$':'$$.Execution.Name',"
                + "'state.$':'$$.State.Name','in.$':'$$.Execution.Input.a'},'End':true}", "{'a':7}");
        assertEquals(json("{'name':'run-1-0','state':'S','in':7}"), r.output());
    }

    @Test
    void specResultPathExamples() {
        String input = "{'master':{'detail':[1,2,3]}}";
        assertEquals(json("{'master':{'detail':[1,2,3]},'result':'Hello'}"),
                m.runState("{'Type':'Pass','Result':'Hello','ResultPath':'$.result','End':true}", input).output());
        assertEquals(json("{'master':{'detail':'Hello'}}"),
                m.runState("{'Type':'Pass','Result':'Hello','ResultPath':'$.master.detail','End':true}", input).output());
        assertEquals(json("'Hello'"),
                m.runState("{'Type':'Pass','Result':'Hello','ResultPath':'$','End':true}", input).output());
        assertEquals(json(input),
                m.runState("{'Type':'Pass','Result':'Hello','ResultPath':null,'End':true}", input).output());
    }

    @Test
    void inputPathAndOutputPath() {
        ExecutionResult r = m.runState("{'Type':'Pass','InputPath':'$.a','Result':3,'ResultPath':'$.c',"
                + "'OutputPath':'$.c','End':true}", "{'a':{'b':1}}");
        assertEquals(json("3"), r.output());
        assertEquals(json("{}"), m.runState("{'Type':'Pass','OutputPath':null,'End':true}", "{'a':1}").output());
    }

    @Test
    void aPathThatDoesNotExistIsAStatesRuntimeError() {
        ExecutionResult r = m.runState("{'Type':'Pass','InputPath':'$.missing','End':true}", "{'a':1}");
        assertEquals(ExecutionResult.Status.FAILED, r.status());
        assertEquals("States.Runtime", r.error());
        r = m.runState("{'Type':'Pass','Parameters':{'x.$':'$.nope'},'End':true}", "{'a':1}");
        assertEquals("States.Runtime", r.error());
        assertEquals(true, r.cause().contains("$.nope"), r.cause());
    }

    @Test
    void failStateEndsTheExecutionWithItsErrorAndCause() {
        ExecutionResult r = m.run("{'StartAt':'P','States':{'P':{'Type':'Pass','Next':'F'},"
                + "'F':{'Type':'Fail','Error':'Bad.Item','Cause':'item 3 is odd'}}}", "{}");
        assertEquals(ExecutionResult.failed("Bad.Item", "item 3 is odd"), r);
        r = m.runState("{'Type':'Fail','ErrorPath':'$.e','CausePath':'$.c'}", "{'e':'E1','c':'why'}");
        assertEquals(ExecutionResult.failed("E1", "why"), r);
    }

    @Test
    void succeedStateAppliesItsPaths() {
        assertEquals(json("1"), m.runState("{'Type':'Succeed','InputPath':'$.a','OutputPath':'$.b'}", "{'a':{'b':1}}").output());
    }

    @Test
    void waitSleepsForSecondsOrUntilATimestamp() {
        m.run("{'StartAt':'A','States':{'A':{'Type':'Wait','Seconds':5,'Next':'B'},"
                + "'B':{'Type':'Wait','SecondsPath':'$.s','Next':'C'},"
                + "'C':{'Type':'Wait','Timestamp':'2026-01-01T00:01:00Z','Next':'D'},"
                + "'D':{'Type':'Wait','TimestampPath':'$.t','End':true}}}", "{'s':2,'t':'2025-01-01T00:00:00Z'}");
        // D's timestamp is past: no time to pass, so nothing is slept
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(60)), m.sleeps);
    }

    @Test
    void anInterruptedWaitInterruptsTheExecution() {
        StateMachineInterpreter real = new StateMachineInterpreter((r, p) -> null);
        Thread.currentThread().interrupt();
        ExecutionResult r = real.run(json("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':100,'End':true}}}"),
                json("{}"), ExecutionContext.of("x"));
        assertEquals(ExecutionResult.Status.INTERRUPTED, r.status());
        assertEquals(true, Thread.interrupted());
    }

    @Test
    void choiceFollowsTheFirstMatchingRuleOrDefault() {
        String machine = "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':["
                + "{'Variable':'$.n','NumericGreaterThan':10,'Next':'Big'}],'Default':'Small'},"
                + "'Big':{'Type':'Pass','Result':'big','End':true},'Small':{'Type':'Pass','Result':'small','End':true}}}";
        assertEquals(json("'big'"), m.run(machine, "{'n':11}").output());
        assertEquals(json("'small'"), m.run(machine, "{'n':10}").output());
    }

    @Test
    void choiceWithoutMatchOrDefaultFailsWithNoChoiceMatched() {
        ExecutionResult r = m.run("{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':["
                + "{'Variable':'$.n','NumericEquals':1,'Next':'E'}]},'E':{'Type':'Succeed'}}}", "{'n':2}");
        assertEquals("States.NoChoiceMatched", r.error());
    }

    @Test
    void aBadDefinitionOrEndlessLoopFailsInsteadOfThrowing() {
        assertEquals("States.Runtime", m.run("{'StartAt':'X','States':{}}", "{}").error());
        assertEquals("States.Runtime", m.interpreter.run((com.fasterxml.jackson.databind.JsonNode) null, null, ExecutionContext.of("x")).error());
        assertEquals("States.Runtime", m.run("{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'A'}}}", "{}").error());
        assertEquals("States.Runtime", m.runState("{'Type':'Pass','Parameters':{'x.$':'$.a[?(b)]'},'End':true}", "{'a':[]}").error());
        assertEquals("States.Runtime", m.runState("{'Type':'Pass','Parameters':{'x.$':'States.Nope(1)'},'End':true}", "{}").error());
        assertEquals("States.Runtime", m.runState("{'Type':'Pass','Result':1,'ResultPath':'$.a.b','End':true}", "[1]").error());
    }
}
