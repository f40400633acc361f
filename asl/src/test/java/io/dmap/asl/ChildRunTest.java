package io.dmap.asl;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.dmap.asl.Machines.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A child execution run in steps: its top-level Waits come back to the caller instead of passing on its thread. */
class ChildRunTest {

    private final Machines m = new Machines();

    private ChildRun start(String machine, String input) {
        return m.interpreter.start(StateMachine.compile(json(machine), "ItemProcessor"), json(input),
                ExecutionContext.of("run-1-0"));
    }

    @Test
    void topLevelWaitsAreHandedBackAndTheStateAndVariablesCarryAcrossThem() {
        ChildRun child = start("{'QueryLanguage':'JSONata','StartAt':'A','States':{"
                + "'A':{'Type':'Pass','Assign':{'seen':'{% $states.input.n %}'},'Output':{'n':'{% $states.input.n + 1 %}'},'Next':'W1'},"
                + "'W1':{'Type':'Wait','Seconds':'{% $states.input.n %}','Next':'Zero'},"
                + "'Zero':{'Type':'Wait','Seconds':0,'Next':'B'},"
                + "'B':{'Type':'Pass','Output':{'n':'{% $states.input.n %}','seen':'{% $seen %}'},'Next':'W2'},"
                + "'W2':{'Type':'Wait','Seconds':7,'End':true}}}", "{'n':4}");

        assertEquals(new ChildRun.Waiting(Duration.ofSeconds(5)), child.advance(), "Wait W1, 5 s from A's output");
        assertEquals(new ChildRun.Waiting(Duration.ofSeconds(7)), child.advance(), "a zero Wait is passed, not returned");
        ChildRun.Progress end = child.advance();
        assertEquals(new ChildRun.Ended(ExecutionResult.succeeded(json("{'n':5,'seen':4}"))), end,
                "the last state was the Wait: the execution ends with its output, the variable kept across the Waits");
        assertTrue(m.sleeps.isEmpty(), "no Wait passed on the calling thread");
        assertThrows(IllegalStateException.class, child::advance);
    }

    @Test
    void aParkedChildGoesOnWithEqualDataAndInputAndVariables() {
        ChildRun child = start("{'QueryLanguage':'JSONata','StartAt':'A','States':{"
                + "'A':{'Type':'Pass','Assign':{'kept':{'deep':[1,2.5,'é']}},'Output':{'n':'{% $states.input.n * 2 %}'},'Next':'W'},"
                + "'W':{'Type':'Wait','Seconds':3,'Next':'B'},"
                + "'B':{'Type':'Pass','Output':{'data':'{% $states.input %}','input':'{% $states.context.Execution.Input %}',"
                + "'kept':'{% $kept %}'},'End':true}}}", "{'n':21,'items':[{'id':1,'name':'a\\u00e9'},null,true]}");
        assertEquals(new ChildRun.Waiting(Duration.ofSeconds(3)), child.advance());
        child.park();
        child.park(); // twice is once
        assertEquals(json("{'n':21,'items':[{'id':1,'name':'a\\u00e9'},null,true]}"), child.input(),
                "the input read back while parked");
        ChildRun.Ended end = assertInstanceOf(ChildRun.Ended.class, child.advance());
        assertEquals(ExecutionResult.succeeded(json("{'data':{'n':42},'input':{'n':21,'items':[{'id':1,'name':'a\\u00e9'},"
                + "null,true]},'kept':{'deep':[1,2.5,'é']}}")), end.result());
    }

    @Test
    void waitsInsideAStatePassOnTheCallingThread() {
        ChildRun child = start("{'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':[{'StartAt':'W','States':{"
                + "'W':{'Type':'Wait','Seconds':3,'End':true}}}],'End':true}}}", "{'x':1}");
        ChildRun.Ended end = assertInstanceOf(ChildRun.Ended.class, child.advance());
        assertEquals(ExecutionResult.succeeded(json("[{'x':1}]")), end.result());
        assertEquals(List.of(Duration.ofSeconds(3)), m.sleeps);
    }

    @Test
    void aFailureAfterAWaitEndsTheExecutionFailedWithItsErrorAndTheRunMethodGivesTheSame() {
        String machine = "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':2,'Next':'F'},"
                + "'F':{'Type':'Fail','Error':'Boom','Cause':'after the wait'}}}";
        ChildRun child = start(machine, "{}");
        assertEquals(new ChildRun.Waiting(Duration.ofSeconds(2)), child.advance());
        assertEquals(new ChildRun.Ended(ExecutionResult.failed("Boom", "after the wait")), child.advance());

        assertEquals(ExecutionResult.failed("Boom", "after the wait"), m.run(machine, "{}"));
        assertEquals(List.of(Duration.ofSeconds(2)), m.sleeps, "run() passes the same Wait on the sleeper");
    }

    @Test
    void aLoopThroughAWaitStillCountsTransitionsAcrossAdvances() {
        ChildRun child = start("{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':1,'Next':'W'}}}", "{}");
        int waits = 0;
        ChildRun.Progress p;
        while ((p = child.advance()) instanceof ChildRun.Waiting) {
            waits++;
        }
        assertEquals(StateMachineInterpreter.MAX_TRANSITIONS, waits, "each entry of W is a transition");
        ExecutionResult r = ((ChildRun.Ended) p).result();
        assertEquals(StatesError.RUNTIME, r.error());
    }
}
