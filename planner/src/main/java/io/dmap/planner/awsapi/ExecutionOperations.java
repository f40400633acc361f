package io.dmap.planner.awsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.events.ChildExecutionStatus;
import io.dmap.common.json.Json;
import io.dmap.planner.workflow.ExecutionView;
import io.dmap.planner.workflow.HistoryEvent;
import io.dmap.planner.workflow.MachineDefinition;
import io.dmap.planner.workflow.Workflows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * StartExecution, DescribeExecution, StopExecution, ListExecutions, RedriveExecution, GetExecutionHistory and
 * ListMapRuns of parent executions, translated to and from {@link Workflows} (the parent engine); DescribeExecution of
 * a map run's child execution from the aggregator ({@link MapRunChildren}).
 */
@ApplicationScoped
public class ExecutionOperations {

    private static final int MAX_INPUT = 256 * 1024;

    private final Instance<Workflows> workflows;
    private final StateMachineOperations machines;
    private final MapRunOperations mapRuns;
    private final MapRunChildren children;
    /** RedriveExecution's clientToken: the answer to a token already used for that execution (AWS keeps 10). */
    private final Map<String, Instant> redriveTokens = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > 10_000;
        }
    });

    public ExecutionOperations(Instance<Workflows> workflows, StateMachineOperations machines, MapRunOperations mapRuns,
                               MapRunChildren children) {
        this.workflows = workflows;
        this.machines = machines;
        this.mapRuns = mapRuns;
        this.children = children;
    }

    private Workflows engine(String operation) {
        if (!workflows.isResolvable()) {
            throw new AwsError("UnsupportedOperation", operation + " needs the parent-execution engine "
                    + "(io.dmap.planner.workflow.Workflows), which this planner does not have yet");
        }
        return workflows.get();
    }

    public ObjectNode start(AwsInput in) {
        in.members(Set.of("stateMachineArn", "name", "input"), Map.of("traceHeader", "dmap has no X-Ray tracing"));
        StateMachineRecord m = machines.machine(in.required("stateMachineArn"));
        String name = in.string("name");
        if (name != null) {
            AwsNames.check("name", name, "InvalidName");
        }
        String input = in.string("input");
        input = input == null ? "{}" : input;
        if (input.getBytes(StandardCharsets.UTF_8).length > MAX_INPUT) {
            throw new AwsError("InvalidExecutionInput", "Invalid Execution Input: the input is over 262144 bytes");
        }
        try {
            Json.MAPPER.readTree(input);
        } catch (Exception e) {
            throw new AwsError("InvalidExecutionInput", "Invalid Execution Input: not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        ExecutionView e = engine("StartExecution").start(new MachineDefinition(m.stateMachineArn(), m.name(),
                m.definition(), m.roleArn()), name, input);
        ObjectNode out = Json.NODES.objectNode().put("executionArn", e.executionArn());
        return AwsShapes.putDate(out, "startDate", e.startDate());
    }

    public ObjectNode describe(AwsInput in) {
        in.members(Set.of("executionArn", "includedData"), Map.of());
        boolean data = !"METADATA_ONLY".equals(in.oneOf("includedData", Set.of("ALL_DATA", "METADATA_ONLY")));
        String arn = in.required("executionArn");
        ExecutionView e;
        if (MapRunChildren.isChild(arn)) {
            Optional<ExecutionView> handedOff = handedOff(arn);
            if (handedOff.isEmpty()) {
                return children.describe(arn, data);
            }
            e = handedOff.get();
        } else {
            e = execution(arn, "DescribeExecution");
        }
        ObjectNode out = Json.NODES.objectNode().put("executionArn", e.executionArn())
                .put("stateMachineArn", e.stateMachineArn()).put("name", e.name()).put("status", e.status());
        AwsShapes.putDate(out, "startDate", e.startDate());
        AwsShapes.putDate(out, "stopDate", e.stopDate());
        if (data) {
            AwsShapes.putString(out, "input", e.input());
            out.putObject("inputDetails").put("included", true);
            if (e.output() != null) {
                out.put("output", e.output());
                out.putObject("outputDetails").put("included", true);
            }
        }
        AwsShapes.putString(out, "error", e.error());
        AwsShapes.putString(out, "cause", e.cause());
        out.put("redriveCount", e.redriveCount());
        AwsShapes.putDate(out, "redriveDate", e.redriveDate());
        AwsShapes.putString(out, "redriveStatus", e.redriveStatus());
        return AwsShapes.putString(out, "redriveStatusReason", e.redriveStatusReason());
    }

    public ObjectNode stop(AwsInput in) {
        in.members(Set.of("executionArn", "error", "cause"), Map.of());
        String arn = AwsArns.execution("executionArn", parentOnly(in.required("executionArn"), "StopExecution")).arn();
        String error = in.string("error", 0, 256);
        String cause = in.string("cause", 0, 32768);
        ExecutionView e = engine("StopExecution").stop(arn, error, cause);
        return AwsShapes.putDate(Json.NODES.objectNode(), "stopDate", e.stopDate() == null ? Instant.now() : e.stopDate());
    }

    /** With a stateMachineArn: the machine's parent executions, newest first; with a mapRunArn: the run's children. */
    public ObjectNode list(AwsInput in) {
        in.members(Set.of("stateMachineArn", "mapRunArn", "statusFilter", "redriveFilter", "maxResults", "nextToken"),
                Map.of());
        String machineArn = in.string("stateMachineArn");
        String mapRunArn = in.string("mapRunArn");
        String status = in.oneOf("statusFilter", MapRunOperations.EXECUTION_STATUSES);
        String redrive = in.oneOf("redriveFilter", Set.of("REDRIVEN", "NOT_REDRIVEN"));
        if ((machineArn == null) == (mapRunArn == null)) {
            throw AwsError.validation("ListExecutions needs exactly one of stateMachineArn and mapRunArn",
                    "MISSING_REQUIRED_PARAMETER", false);
        }
        if (mapRunArn != null) {
            return mapRuns.executions(in, mapRunArn, status, redrive);
        }
        if (ChildExecutionStatus.PENDING_REDRIVE.name().equals(status)) {
            throw AwsError.validation("statusFilter", "PENDING_REDRIVE can only be used with a mapRunArn");
        }
        StateMachineRecord m = machines.machine(machineArn);
        int max = in.maxResults();
        int from = Tokens.index(in.string("nextToken", 1, 1024));
        List<ExecutionView> all = new ArrayList<>(engine("ListExecutions").list(m.stateMachineArn(), status));
        all.removeIf(e -> "REDRIVEN".equals(redrive) && e.redriveCount() == 0
                || "NOT_REDRIVEN".equals(redrive) && e.redriveCount() > 0);
        ObjectNode out = Json.NODES.objectNode();
        ArrayNode items = out.putArray("executions");
        for (ExecutionView e : all.subList(Math.min(from, all.size()), Math.min(all.size(), from + max))) {
            ObjectNode item = items.addObject().put("executionArn", e.executionArn())
                    .put("stateMachineArn", e.stateMachineArn()).put("name", e.name()).put("status", e.status());
            AwsShapes.putDate(item, "startDate", e.startDate());
            AwsShapes.putDate(item, "stopDate", e.stopDate());
            item.put("redriveCount", e.redriveCount());
            AwsShapes.putDate(item, "redriveDate", e.redriveDate());
        }
        if (from + max < all.size()) {
            out.put("nextToken", Tokens.of(from + max));
        }
        return out;
    }

    public ObjectNode redrive(AwsInput in) {
        in.members(Set.of("executionArn", "clientToken"), Map.of());
        String arn = AwsArns.execution("executionArn", parentOnly(in.required("executionArn"), "RedriveExecution"))
                .arn();
        String token = in.string("clientToken", 1, 64);
        if (token != null && !token.matches("[!-~]+")) {
            throw AwsError.validation("clientToken", "failed to satisfy constraint: Member must satisfy regular "
                    + "expression pattern: [!-~]+");
        }
        Instant previous = token == null ? null : redriveTokens.get(arn + " " + token);
        if (previous != null) {
            return AwsShapes.putDate(Json.NODES.objectNode(), "redriveDate", previous);
        }
        ExecutionView e = engine("RedriveExecution").redrive(arn);
        Instant at = e.redriveDate() == null ? Instant.now() : e.redriveDate();
        if (token != null) {
            redriveTokens.put(arn + " " + token, at);
        }
        return AwsShapes.putDate(Json.NODES.objectNode(), "redriveDate", at);
    }

    public ObjectNode history(AwsInput in) {
        in.members(Set.of("executionArn", "maxResults", "reverseOrder", "nextToken", "includeExecutionData"), Map.of());
        String given = in.required("executionArn");
        Optional<ExecutionView> handedOff = MapRunChildren.isChild(given) ? handedOff(given) : Optional.empty();
        String arn = handedOff.isPresent() ? handedOff.get().executionArn()
                : execution(parentOnly(given, "GetExecutionHistory"), "GetExecutionHistory").executionArn();
        int max = in.maxResults();
        boolean reverse = Boolean.TRUE.equals(in.bool("reverseOrder"));
        boolean data = !Boolean.FALSE.equals(in.bool("includeExecutionData"));
        int from = Tokens.index(in.string("nextToken", 1, 1024));
        List<HistoryEvent> events = new ArrayList<>(engine("GetExecutionHistory").history(arn));
        if (reverse) {
            Collections.reverse(events);
        }
        ObjectNode out = Json.NODES.objectNode();
        ArrayNode items = out.putArray("events");
        for (HistoryEvent h : events.subList(Math.min(from, events.size()), Math.min(events.size(), from + max))) {
            ObjectNode event = AwsShapes.putDate(Json.NODES.objectNode(), "timestamp", h.timestamp())
                    .put("type", h.type()).put("id", h.id()).put("previousEventId", h.previousEventId());
            if (h.detailsField() != null && h.details() != null) {
                JsonNode details = h.details().deepCopy();
                if (!data && details.isObject()) {
                    ((ObjectNode) details).remove(List.of("input", "output", "inputDetails", "outputDetails"));
                }
                event.set(h.detailsField(), details);
            }
            items.add(event);
        }
        if (from + max < events.size()) {
            out.put("nextToken", Tokens.of(from + max));
        }
        return out;
    }

    /** ListMapRuns: the map runs of a parent execution. */
    public ObjectNode listMapRuns(AwsInput in) {
        in.members(Set.of("executionArn", "maxResults", "nextToken"), Map.of());
        return mapRuns.list(in, execution(in.required("executionArn"), "ListMapRuns"));
    }

    /**
     * A child execution the parent engine drives (a STANDARD child that starts a nested map run, handed off by its
     * worker) has a record and a history there; other children live in the aggregator only.
     */
    private Optional<ExecutionView> handedOff(String arn) {
        return workflows.isResolvable() ? workflows.get().describe(arn) : Optional.empty();
    }

    /**
     * A map run's child execution is stopped with its map run and redriven by redriving its parent (as AWS redrives a
     * Distributed Map), and only a handed-off one has a history: said so, rather than InvalidArn.
     */
    private static String parentOnly(String arn, String operation) {
        if (MapRunChildren.isChild(arn)) {
            throw AwsError.validation(operation + " is not served for a map run's child execution ('" + arn
                    + "'): DescribeExecution describes it, ListExecutions with its mapRunArn lists them; stop or"
                    + " redrive the parent execution", null, false);
        }
        return arn;
    }

    private ExecutionView execution(String arn, String operation) {
        String key = AwsArns.execution("executionArn", arn).arn();
        return engine(operation).describe(key).orElseThrow(() -> new AwsError("ExecutionDoesNotExist",
                "Execution Does Not Exist: '" + key + "'"));
    }
}
