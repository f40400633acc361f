package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dmap.asl.Machines.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskStateTest {

    private final List<JsonNode> calls = new ArrayList<>();

    /** A task that fails with {@code error} the first {@code failures} times, then echoes its parameters. */
    private Machines failing(String error, int failures) {
        AtomicInteger n = new AtomicInteger();
        return new Machines((resource, params) -> {
            calls.add(params);
            if (n.getAndIncrement() < failures) {
                if (error.equals("plain")) {
                    throw new IllegalStateException("connection refused");
                }
                throw new StatesError(error, "attempt " + n.get());
            }
            return Json.NODES.objectNode().put("echo", params.path("v").asInt()).put("resource", resource);
        });
    }

    @Test
    void parametersResultSelectorResultPathAndOutputPath() {
        Machines m = failing("none", 0);
        ExecutionResult r = m.runState("{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','InputPath':'$.in','Parameters':{'v.$':'$.a'},"
                + "'ResultSelector':{'got.$':'$.echo'},'ResultPath':'$.out','OutputPath':'$.out','End':true}", "{'in':{'a':5}}");
        assertEquals(ExecutionResult.succeeded(json("{'got':5}")), r);
        assertEquals(List.of(json("{'v':5}")), calls);
    }

    /** The specification's example: retried after 3 s and 4.5 s, then the error stands. */
    @Test
    void specRetryExample() {
        Machines m = failing("States.Timeout", 10);
        ExecutionResult r = m.runState("{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','Retry':[{'ErrorEquals':['States.Timeout'],"
                + "'IntervalSeconds':3,'MaxAttempts':2,'BackoffRate':1.5}],'End':true}", "{}");
        assertEquals("States.Timeout", r.error());
        assertEquals(List.of(Duration.ofMillis(3000), Duration.ofMillis(4500)), m.sleeps);
        assertEquals(3, calls.size());
    }

    @Test
    void retrySucceedsOnALaterAttemptAndUsesDefaults() {
        Machines m = failing("States.TaskFailed", 2);
        ExecutionResult r = m.runState("{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','Parameters':{'v':1},"
                + "'Retry':[{'ErrorEquals':['States.ALL']}],'End':true}", "{}");
        assertEquals(ExecutionResult.Status.SUCCEEDED, r.status());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), m.sleeps);
    }

    @Test
    void firstMatchingRetrierDecidesAndMaxDelayCaps() {
        Machines m = failing("Custom", 3);
        ExecutionResult r = m.runState("{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','Retry':["
                + "{'ErrorEquals':['Other'],'MaxAttempts':5},"
                + "{'ErrorEquals':['Custom'],'IntervalSeconds':10,'BackoffRate':3,'MaxDelaySeconds':20,'MaxAttempts':2},"
                + "{'ErrorEquals':['States.ALL'],'MaxAttempts':9}],'End':true}", "{}");
        assertEquals("Custom", r.error());
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(20)), m.sleeps);
    }

    @Test
    void fullJitterStaysWithinTheInterval() {
        Machines m = failing("E", 1);
        m.runState("{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','Retry':[{'ErrorEquals':['E'],'IntervalSeconds':4,"
                + "'JitterStrategy':'FULL'}],'End':true}", "{}");
        assertTrue(m.sleeps.get(0).compareTo(Duration.ofSeconds(4)) <= 0, m.sleeps.toString());
    }

    /** The specification's Catch example: the error output lands at ResultPath and the execution goes on. */
    @Test
    void specCatchExample() {
        Machines m = failing("java.lang.Exception", 1);
        ExecutionResult r = m.run("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','Catch':["
                + "{'ErrorEquals':['java.lang.Exception'],'ResultPath':'$.error-info','Next':'RecoveryState'},"
                + "{'ErrorEquals':['States.ALL'],'Next':'EndState'}],'End':true},"
                + "'RecoveryState':{'Type':'Pass','End':true},'EndState':{'Type':'Succeed'}}}", "{'a':1}");
        assertEquals(json("{'a':1,'error-info':{'Error':'java.lang.Exception','Cause':'attempt 1'}}"), r.output());
    }

    @Test
    void anExceptionFromTheResourceIsTaskFailedAndCatchableByStatesAll() {
        ExecutionResult r = failing("plain", 5).runState("{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','End':true}", "{}");
        assertEquals(ExecutionResult.failed("States.TaskFailed", "connection refused"), r);
        r = failing("plain", 5).run("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','Catch':["
                + "{'ErrorEquals':['States.ALL'],'Next':'F'}],'End':true},'F':{'Type':'Pass','End':true}}}", "{}");
        assertEquals(json("{'Error':'States.TaskFailed','Cause':'connection refused'}"), r.output());
    }

    @Test
    void timeoutSecondsEndsASlowTaskWithStatesTimeout() {
        Machines m = new Machines((resource, params) -> {
            Thread.sleep(30_000);
            return params;
        });
        ExecutionResult r = m.runState("{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','TimeoutSeconds':1,'End':true}", "{}");
        assertEquals("States.Timeout", r.error());
        assertTrue(r.timedOut());
    }

    @Test
    void statesTaskFailedInErrorEqualsDoesNotMatchATimeout() {
        Machines m = failing("States.Timeout", 1);
        ExecutionResult r = m.run("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','Catch':["
                + "{'ErrorEquals':['States.TaskFailed'],'Next':'F'}],'End':true},'F':{'Type':'Pass','End':true}}}", "{}");
        assertEquals("States.Timeout", r.error());
    }

    @Test
    void runtimeErrorsAreNeitherRetriedNorCaught() {
        Machines m = failing("none", 0);
        ExecutionResult r = m.run("{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f',"
                + "'Parameters':{'v.$':'$.missing'},'Retry':[{'ErrorEquals':['States.ALL']}],"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'Next':'F'}],'End':true},'F':{'Type':'Succeed'}}}", "{}");
        assertEquals("States.Runtime", r.error());
        assertEquals(List.of(), m.sleeps);
        assertEquals(List.of(), calls);
    }
}
