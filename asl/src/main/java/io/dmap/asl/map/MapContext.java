package io.dmap.asl.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.events.ParentRef;
import io.dmap.common.json.Json;

import java.time.Instant;

/**
 * The context object ({@code $$}) that the Map state's own fields see. dmap runs a Distributed Map without its
 * parent execution, so the map run stands in for it: {@code Execution.Id} is the run's parent-execution ARN,
 * {@code Execution.Name} the run's Name (or its id), {@code Execution.Input} the posted Input,
 * {@code Execution.StartTime} and {@code State.EnteredTime} the moment the run was accepted, {@code State.Name}
 * the Label (or "Map"), and {@code StateMachine} dmap's one state machine. Every value is fixed when the run is
 * accepted, so a planner that resumes the run sees the same context.
 */
public record MapContext(String executionId, String executionName, JsonNode executionInput, Instant startTime,
                         int redriveCount, String stateName, Instant enteredTime, String stateMachineId,
                         String stateMachineName) {

    static final String ARN_PREFIX = "arn:dmap:states:local:000000000000:";
    static final String STATE_MACHINE = "dmap";

    /** The context of run {@code mapRunId} of {@code spec}, accepted at {@code acceptedAt}. */
    public static MapContext forRun(String mapRunId, MapRunSpec spec, Instant acceptedAt) {
        String name = spec.name() == null ? mapRunId : spec.name();
        return new MapContext(ARN_PREFIX + "execution:" + STATE_MACHINE + ":" + name, name,
                spec.input() == null ? Json.NODES.objectNode() : spec.input(), acceptedAt, 0,
                spec.label() == null ? "Map" : spec.label(), acceptedAt,
                ARN_PREFIX + "stateMachine:" + STATE_MACHINE, STATE_MACHINE);
    }

    /**
     * The context of a run started by a parent execution's Distributed Map state: the parent's execution, state and
     * state machine, as AWS shows them to the Map state's fields. {@code parent} null: {@link #forRun}.
     */
    public static MapContext forRun(String mapRunId, MapRunSpec spec, Instant acceptedAt, ParentRef parent) {
        if (parent == null) {
            return forRun(mapRunId, spec, acceptedAt);
        }
        return new MapContext(parent.executionArn(), parent.executionName(),
                parent.executionInput() == null ? Json.NODES.objectNode() : parent.executionInput(), parent.startTime(),
                parent.redriveCount(), parent.stateName(), parent.enteredTime(), parent.stateMachineArn(),
                parent.stateMachineName());
    }

    /** The context object without {@code Map}: what the run-start fields (paths, Parameters, BatchInput) see. */
    public ObjectNode contextObject() {
        ObjectNode ctx = Json.NODES.objectNode();
        ObjectNode execution = ctx.putObject("Execution");
        execution.put("Id", executionId);
        execution.set("Input", executionInput);
        execution.put("Name", executionName);
        execution.put("StartTime", startTime.toString());
        execution.put("RedriveCount", redriveCount);
        ObjectNode state = ctx.putObject("State");
        state.put("EnteredTime", enteredTime.toString());
        state.put("Name", stateName);
        state.put("RetryCount", 0);
        ObjectNode machine = ctx.putObject("StateMachine");
        machine.put("Id", stateMachineId);
        machine.put("Name", stateMachineName);
        return ctx;
    }
}
