package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.dmap.asl.Machines.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The context object a child state sees ($$ in JSONPath, $states.context in JSONata; AWS-REFERENCE.md 2.9, 2.10). */
class ContextObjectTest {

    private static final ExecutionContext CONTEXT = new ExecutionContext(
            "arn:dmap:states:local:000000000000:execution:dmap/Map:run-1-0", "run-1-0",
            "arn:dmap:states:local:000000000000:stateMachine:dmap-item-processor",
            Instant.parse("2026-01-01T00:00:00.120Z"), 2);

    @Test
    void executionStateAndStateMachineFields() {
        Machines m = new Machines();
        JsonNode out = m.interpreter.run(json("{'StartAt':'First','States':{'First':{'Type':'Pass','Parameters':{"
                + "'id.$':'$$.Execution.Id','name.$':'$$.Execution.Name','input.$':'$$.Execution.Input',"
                + "'start.$':'$$.Execution.StartTime','redrives.$':'$$.Execution.RedriveCount',"
                + "'entered.$':'$$.State.EnteredTime','state.$':'$$.State.Name','retries.$':'$$.State.RetryCount',"
                + "'machine.$':'$$.StateMachine.Id','machineName.$':'$$.StateMachine.Name'},'End':true}}}"),
                json("{'k':1}"), CONTEXT).output();
        assertEquals(json("{'id':'arn:dmap:states:local:000000000000:execution:dmap/Map:run-1-0','name':'run-1-0',"
                + "'input':{'k':1},'start':'2026-01-01T00:00:00.120Z','redrives':2,'entered':'2026-01-01T00:00:00Z',"
                + "'state':'First','retries':0,'machine':'arn:dmap:states:local:000000000000:stateMachine:dmap-item-processor',"
                + "'machineName':'dmap-item-processor'}"), out);
    }

    @Test
    void timestampsHaveAtMostMillisecondDigits() {
        assertEquals("2026-01-01T00:00:00.123Z", ExecutionContext.iso(Instant.parse("2026-01-01T00:00:00.123456789Z")));
        assertEquals("2026-01-01T00:00:00Z", ExecutionContext.iso(Instant.parse("2026-01-01T00:00:00.000400Z")));
    }

    @Test
    void retryCountGrowsWithEachRetry() {
        int[] calls = new int[1];
        Machines m = new Machines((r, p) -> {
            if (++calls[0] < 3) {
                throw new StatesError("Flaky", "try again");
            }
            return p;
        });
        JsonNode out = m.interpreter.run(json("{'StartAt':'T','States':{'T':{'Type':'Task',"
                + "'Resource':'arn:aws:lambda:us-east-1:1:function:f','Parameters':{'n.$':'$$.State.RetryCount'},"
                + "'Retry':[{'ErrorEquals':['Flaky'],'MaxAttempts':5}],'End':true}}}"), json("{}"), CONTEXT).output();
        assertEquals(json("{'n':2}"), out);
    }

    @Test
    void jsonataSeesTheSameContext() {
        Machines m = new Machines();
        JsonNode out = m.interpreter.run(io.dmap.common.json.Json.parse("""
                {"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass",
                  "Output":{"n":"{% $states.context.Execution.Name %}","s":"{% $states.context.State.Name %}"},"End":true}}}"""),
                json("{}"), CONTEXT).output();
        assertEquals(json("{'n':'run-1-0','s':'S'}"), out);
    }
}
