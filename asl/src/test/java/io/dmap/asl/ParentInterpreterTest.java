package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.ParentInterpreter.Failed;
import io.dmap.asl.ParentInterpreter.Next;
import io.dmap.asl.ParentInterpreter.Position;
import io.dmap.asl.ParentInterpreter.StartMapRun;
import io.dmap.asl.ParentInterpreter.Step;
import io.dmap.asl.ParentInterpreter.Succeeded;
import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole machine run state by state, suspended at its Distributed Map and resumed with the run's outcome. */
class ParentInterpreterTest {

    private static final String DMAP = """
            {"Type": "Map", "Label": "Fan", "ItemsPath": "$.items",
             "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
               "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
             "ResultSelector": {"n.$": "States.ArrayLength($)", "first.$": "$[0]"},
             "ResultPath": "$.mapped", "Assign": {"count.$": "$.n"},
             "Retry": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "MaxAttempts": 1,
                        "IntervalSeconds": 5}],
             "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover"}],
             "Next": "After"}
            """;

    private static final String MACHINE = """
            {"StartAt": "Prepare", "States": {
              "Prepare": {"Type": "Pass", "Result": [1, 2, 3], "ResultPath": "$.items", "Assign": {"seen": true},
                          "Next": "Pick"},
              "Pick": {"Type": "Choice", "Choices": [{"Variable": "$.go", "BooleanEquals": true, "Next": "Fan"}],
                       "Default": "Recover"},
              "Fan": %s,
              "After": {"Type": "Wait", "Seconds": 30, "Next": "Done"},
              "Done": {"Type": "Pass", "Parameters": {"n.$": "$.mapped.n", "count.$": "$count", "seen.$": "$seen"},
                       "End": true},
              "Recover": {"Type": "Fail", "Error": "Recovered", "Cause": "caught"}}}
            """.formatted(DMAP);

    private final ParentInterpreter parent = new ParentInterpreter(new StateMachineInterpreter(
            (resource, parameters) -> parameters));
    private final ExecutionContext context = new ExecutionContext("arn:x:execution:m:e1", "e1", "arn:x:stateMachine:m",
            Instant.parse("2026-12-01T21:00:00Z"), 0);
    private final StateMachine machine = StateMachine.compileWhole(Json.parse(MACHINE));
    private final JsonNode input = Json.parse("{\"go\": true}");

    @Test
    void suspendsAtTheDistributedMapAndContinuesWithItsResult() throws Exception {
        Step s = step(Position.entering("Prepare", input, Map.of(), Instant.now()));
        Next toPick = assertInstanceOf(Next.class, s);
        assertEquals("Pick", toPick.state());
        assertEquals(true, toPick.variables().get("seen").asBoolean());
        Next toFan = assertInstanceOf(Next.class, step(Position.entering("Pick", toPick.input(), toPick.variables(),
                Instant.now())));
        assertEquals("Fan", toFan.state());

        Position atFan = Position.entering("Fan", toFan.input(), toFan.variables(), Instant.now());
        StartMapRun start = assertInstanceOf(StartMapRun.class, step(atFan));
        assertEquals("Fan", start.state().label());
        assertEquals(Duration.ZERO, start.delay());
        JsonNode run = start.state().runDefinition();
        for (String parentOnly : List.of("Next", "ResultPath", "ResultSelector", "Retry", "Catch", "Assign")) {
            assertFalse(run.has(parentOnly), parentOnly + " stays with the parent");
        }
        assertEquals("$.items", run.get("ItemsPath").asText());
        assertEquals(Json.parse("[1,2,3]"), start.input().get("items"), "the run gets the state's raw input");

        Step after = parent.resume(machine, atFan, context, input, Json.parse("[\"a\", \"b\"]"), null, null);
        Next toAfter = assertInstanceOf(Next.class, after);
        assertEquals("After", toAfter.state());
        assertEquals(Json.parse("{\"n\": 2, \"first\": \"a\"}"), toAfter.input().get("mapped"));
        assertEquals(2, toAfter.variables().get("count").asInt());

        Next toDone = assertInstanceOf(Next.class, step(Position.entering("After", toAfter.input(),
                toAfter.variables(), Instant.now())));
        assertEquals(Duration.ofSeconds(30), toDone.waitFor(), "a Wait is left to the caller's timer");
        Succeeded done = assertInstanceOf(Succeeded.class, step(Position.entering("Done", toDone.input(),
                toDone.variables(), Instant.now())));
        assertEquals(Json.parse("{\"n\": 2, \"count\": 2, \"seen\": true}"), done.output());
    }

    @Test
    void aWaitThatEndsTheMachineStillWaits() throws Exception {
        StateMachine napping = StateMachine.compileWhole(Json.parse("""
                {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 120, "End": true}}}"""));
        Succeeded done = assertInstanceOf(Succeeded.class, parent.step(napping,
                Position.entering("Nap", input, Map.of(), Instant.now()), context, input));
        assertEquals(Duration.ofSeconds(120), done.waitFor(), "the caller waits before the execution ends");
        assertEquals(input, done.output());
    }

    @Test
    void aFailedRunIsRetriedThenCaught() {
        Position atFan = Position.entering("Fan", input, Map.of("seen", Json.NODES.booleanNode(true)), Instant.now());
        StartMapRun retry = assertInstanceOf(StartMapRun.class, parent.resume(machine, atFan, context, input, null,
                "States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded"));
        assertEquals(1, retry.retryCount());
        assertEquals(Duration.ofSeconds(5), retry.delay());
        Position again = new Position("Fan", input, atFan.variables(), atFan.enteredTime(), retry.retryCount(),
                retry.retrierAttempts());
        Next caught = assertInstanceOf(Next.class, parent.resume(machine, again, context, input, null,
                "States.ExceedToleratedFailureThreshold", "threshold"));
        assertEquals("Recover", caught.state());
        assertEquals("States.ExceedToleratedFailureThreshold", caught.input().get("error").get("Error").asText());
        assertEquals(true, caught.input().get("go").asBoolean(), "ResultPath keeps the state's input");
    }

    @Test
    void dataLimitExceededIsNeitherRetriedNorCaught() {
        Position atFan = Position.entering("Fan", input, Map.of(), Instant.now());
        Failed failed = assertInstanceOf(Failed.class, parent.resume(machine, atFan, context, input, null,
                StatesError.DATA_LIMIT_EXCEEDED, "too big"));
        assertEquals(StatesError.DATA_LIMIT_EXCEEDED, failed.error());
    }

    @Test
    void aFailStateFailsTheExecution() throws Exception {
        Failed failed = assertInstanceOf(Failed.class, step(Position.entering("Recover", input, Map.of(),
                Instant.now())));
        assertEquals("Recovered", failed.error());
        assertEquals("caught", failed.cause());
    }

    @Test
    void theMapRunPartIsValidatedAsPostMapRunsValidatesIt() {
        String bad = MACHINE.replace("\"ItemsPath\": \"$.items\",", "\"ItemsPath\": \"$.items\", \"ItemBatcher\":"
                + " {\"MaxItemsPerBatch\": 0}, \"Input\": {},");
        SpecException e = assertThrows(SpecException.class, () -> StateMachine.compileWhole(Json.parse(bad)));
        assertTrue(e.getMessage().contains("States.Fan.ItemBatcher.MaxItemsPerBatch"), e.getMessage());
        assertTrue(e.getMessage().contains("States.Fan.Input: is not a field of a Map state"), e.getMessage());
    }

    @Test
    void aMachinesTimeoutSecondsIsCompiledAndCheckedAtTheRootOnly() {
        StateMachine timed = StateMachine.compileWhole(Json.parse("""
                {"TimeoutSeconds": 90, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"""));
        assertEquals(Duration.ofSeconds(90), timed.timeout());
        assertEquals(null, machine.timeout());
        SpecException zero = assertThrows(SpecException.class, () -> StateMachine.compileWhole(Json.parse("""
                {"TimeoutSeconds": 0, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""")));
        assertTrue(zero.getMessage().contains("TimeoutSeconds: must be a positive integer"), zero.getMessage());
        SpecException child = assertThrows(SpecException.class, () -> StateMachine.compile(Json.parse("""
                {"TimeoutSeconds": 9, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"""),
                "ItemProcessor"));
        assertTrue(child.getMessage().contains("TimeoutSeconds"), child.getMessage());
    }

    @Test
    void anExpressChildRejectsADistributedMapAndAStandardChildRunsItAsAParentDoes() throws Exception {
        String states = "\"StartAt\": \"Fan\", \"States\": {\"Fan\": " + DMAP.replace("\"Next\": \"After\"",
                "\"End\": true").replace("\"Next\": \"Recover\"", "\"Next\": \"Fan\"") + "}}";
        String express = "{\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"EXPRESS\"}, " + states;
        SpecException e = assertThrows(SpecException.class, () -> StateMachine.compile(Json.parse(express),
                "ItemProcessor"));
        assertTrue(e.getMessage().contains("ItemProcessor.States.Fan.ItemProcessor.ProcessorConfig.Mode: must be INLINE"
                + " inside an EXPRESS child execution"), e.getMessage());

        StateMachine standard = StateMachine.compile(Json.parse(
                "{\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"STANDARD\"}, " + states),
                "ItemProcessor");
        assertTrue(standard.startsMapRuns());
        StartMapRun start = assertInstanceOf(StartMapRun.class, parent.step(standard, Position.entering("Fan", input,
                Map.of(), Instant.now()), context, input));
        assertEquals("Fan", start.state().name());
        assertFalse(StateMachine.compile(Json.parse("""
                {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Each",
                 "States": {"Each": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "P",
                   "States": {"P": {"Type": "Pass", "End": true}}}}}}"""), "ItemProcessor").startsMapRuns(),
                "an inline Map does not make a child start map runs");
    }

    @Test
    void aDistributedMapInsideAStandardChildsParallelIsStillRejectedByName() {
        String child = """
                {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Both",
                 "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "Fan", "States": {
                   "Fan": %s}}]}}}""".formatted(DMAP.replace("\"Next\": \"After\"", "\"End\": true")
                .replace("\"Next\": \"Recover\"", "\"Next\": \"Fan\""));
        SpecException e = assertThrows(SpecException.class, () -> StateMachine.compile(Json.parse(child),
                "ItemProcessor"));
        assertTrue(e.getMessage().contains("ItemProcessor.States.Both.Branches[0].States.Fan.ItemProcessor"
                + ".ProcessorConfig.Mode: must be INLINE inside a Parallel branch or an inline Map"), e.getMessage());
    }

    private Step step(Position at) throws InterruptedException {
        return parent.step(machine, at, context, input);
    }
}
