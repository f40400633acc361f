package io.dmap.planner.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.asl.ChoiceState;
import io.dmap.asl.DistributedMapState;
import io.dmap.asl.FailState;
import io.dmap.asl.MapState;
import io.dmap.asl.ParallelState;
import io.dmap.asl.PassState;
import io.dmap.asl.State;
import io.dmap.asl.SucceedState;
import io.dmap.asl.TaskState;
import io.dmap.asl.WaitState;
import io.dmap.common.json.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * GetExecutionHistory's events of one parent execution, appended as it goes, with AWS's types and detail members
 * ({@code stateEnteredEventDetails}, {@code mapRunStartedEventDetails}, ...). Inputs and outputs are JSON texts, as
 * AWS gives them.
 */
final class History {

    /**
     * The events one execution may have, AWS's limit; an execution that would pass it fails with States.Runtime. Its
     * record travels as one Kafka message, so the record's bytes are bounded too ({@link ParentDriver#MAX_RECORD_BYTES}),
     * which an execution with large inputs and outputs reaches first.
     */
    static final int MAX_EVENTS = 25_000;

    private final List<HistoryEvent> events;
    private final Instant now;

    History(List<HistoryEvent> existing, Instant now) {
        this.events = new ArrayList<>(existing);
        this.now = now;
    }

    boolean full() {
        return events.size() >= MAX_EVENTS - 2;
    }

    History add(String type, String detailsField, ObjectNode details) {
        long id = events.size() + 1;
        events.add(new HistoryEvent(id, id - 1, now, type, detailsField, details));
        return this;
    }

    History add(String type) {
        return add(type, null, null);
    }

    List<HistoryEvent> events() {
        return List.copyOf(events);
    }

    History entered(State state, JsonNode input) {
        ObjectNode d = Json.NODES.objectNode().put("name", state.name()).put("input", Json.toString(input));
        d.putObject("inputDetails").put("truncated", false);
        return add(type(state) + "StateEntered", "stateEnteredEventDetails", d);
    }

    History exited(State state, JsonNode output) {
        ObjectNode d = Json.NODES.objectNode().put("name", state.name()).put("output", Json.toString(output));
        d.putObject("outputDetails").put("truncated", false);
        return add(type(state) + "StateExited", "stateExitedEventDetails", d);
    }

    History errorEvent(String type, String field, String error, String cause) {
        ObjectNode d = Json.NODES.objectNode();
        if (error != null) {
            d.put("error", error);
        }
        if (cause != null) {
            d.put("cause", cause);
        }
        return add(type, field, d);
    }

    /** AWS's state type name of a compiled state, as event types spell it (TaskStateEntered, MapStateExited, ...). */
    static String type(State state) {
        if (state instanceof PassState) {
            return "Pass";
        } else if (state instanceof TaskState) {
            return "Task";
        } else if (state instanceof ChoiceState) {
            return "Choice";
        } else if (state instanceof WaitState) {
            return "Wait";
        } else if (state instanceof SucceedState) {
            return "Succeed";
        } else if (state instanceof FailState) {
            return "Fail";
        } else if (state instanceof ParallelState) {
            return "Parallel";
        } else if (state instanceof MapState || state instanceof DistributedMapState) {
            return "Map";
        }
        return "Unknown";
    }
}
