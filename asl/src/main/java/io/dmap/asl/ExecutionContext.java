package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The facts behind the context object {@code $$} of a child execution. */
public record ExecutionContext(String executionArn, String executionName, String stateMachineArn, Instant startTime,
                               int redriveCount) {

    public static ExecutionContext of(String name) {
        return new ExecutionContext("arn:dmap:states:local:000000000000:execution:dmap:" + name, name,
                "arn:dmap:states:local:000000000000:stateMachine:dmap", Instant.now(), 0);
    }

    /** AWS's timestamps: ISO-8601 in UTC, to the millisecond, trailing zero groups dropped (AWS-REFERENCE.md 2.10). */
    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** The context object as a state sees it when entered. */
    ObjectNode contextObject(JsonNode input, String stateName, Instant enteredTime, int retryCount) {
        ObjectNode ctx = Json.NODES.objectNode();
        ObjectNode execution = ctx.putObject("Execution");
        execution.put("Id", executionArn);
        execution.put("Name", executionName);
        execution.put("StartTime", iso(startTime));
        execution.set("Input", input);
        execution.put("RedriveCount", redriveCount);
        ObjectNode state = ctx.putObject("State");
        state.put("Name", stateName);
        state.put("EnteredTime", iso(enteredTime));
        state.put("RetryCount", retryCount);
        ObjectNode machine = ctx.putObject("StateMachine");
        machine.put("Id", stateMachineArn);
        machine.put("Name", stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1));
        return ctx;
    }
}
