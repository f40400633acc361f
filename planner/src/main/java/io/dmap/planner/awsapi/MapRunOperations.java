package io.dmap.planner.awsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.events.ChildExecutionStatus;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;
import io.dmap.planner.executions.AggregatorClient;
import io.dmap.planner.service.InvalidParameterException;
import io.dmap.planner.service.MapRunCommands;
import io.dmap.planner.service.MapRunConflictException;
import io.dmap.planner.service.MapRunNotFoundException;
import io.dmap.planner.service.MapRunService;
import io.dmap.planner.workflow.ExecutionView;
import io.dmap.planner.workflow.Workflows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * DescribeMapRun, ListMapRuns, UpdateMapRun and ListExecutions of a map run, over the map runs the REST API serves
 * ({@link MapRunService}, {@link MapRunCommands}, the aggregator's execution store): a run posted to
 * {@code POST /map-runs} is the map run {@code ...:mapRun:dmap/<label>:<id>}, one started by a parent execution's
 * Distributed Map state {@code ...:mapRun:<stateMachine>/<label>:<id>}.
 */
@ApplicationScoped
public class MapRunOperations {

    /** The machine name in the ARNs of runs posted to /map-runs (they have no parent execution). */
    static final String REST_MACHINE = "dmap";
    /** AWS's ListExecutions statuses: the child execution statuses but dmap's NOT_STARTED. */
    static final Set<String> EXECUTION_STATUSES = Arrays.stream(ChildExecutionStatus.values())
            .filter(ChildExecutionStatus::aws).map(Enum::name).collect(Collectors.toUnmodifiableSet());

    private final MapRunService runs;
    private final MapRunCommands commands;
    private final AggregatorClient aggregator;
    private final Instance<Workflows> workflows;

    public MapRunOperations(MapRunService runs, MapRunCommands commands, AggregatorClient aggregator,
                            Instance<Workflows> workflows) {
        this.runs = runs;
        this.commands = commands;
        this.aggregator = aggregator;
        this.workflows = workflows;
    }

    public ObjectNode describe(AwsInput in) {
        in.members(Set.of("mapRunArn"), Map.of());
        AwsArns.MapRunArn arn = AwsArns.mapRun("mapRunArn", in.required("mapRunArn"));
        MapRunStatus s = status(arn);
        ObjectNode out = Json.NODES.objectNode()
                .put("mapRunArn", canonical(arn, s))
                .put("executionArn", parentExecution(arn, s.mapRunId()))
                .put("status", s.status().name());
        AwsShapes.putDate(out, "startDate", s.startDate());
        AwsShapes.putDate(out, "stopDate", s.terminal() ? s.stopDate() : null);
        out.put("maxConcurrency", s.maxConcurrency())
                .put("toleratedFailurePercentage", (float) s.toleratedFailurePercentage())
                .put("toleratedFailureCount", s.toleratedFailureCount());
        out.set("itemCounts", counts(s.itemCounts()));
        out.set("executionCounts", counts(s.executionCounts()));
        out.put("redriveCount", s.redriveCount());
        return AwsShapes.putDate(out, "redriveDate", s.redriveDate());
    }

    /**
     * AWS's counters: dmap redrives every failed, timed-out and aborted execution ({@code failuresNotRedrivable} 0);
     * executions waiting for their redriven attempt count as pending ({@code pendingRedrive} 0).
     */
    private static ObjectNode counts(MapRunStatus.Counts c) {
        MapRunStatus.Counts n = c == null ? MapRunStatus.Counts.ZERO : c;
        return Json.NODES.objectNode().put("pending", n.pending()).put("running", n.running())
                .put("succeeded", n.succeeded()).put("failed", n.failed()).put("timedOut", n.timedOut())
                .put("aborted", n.aborted()).put("total", n.total()).put("resultsWritten", n.resultsWritten())
                .put("failuresNotRedrivable", 0).put("pendingRedrive", 0);
    }

    /** The map runs of a parent execution, oldest first (the order its Distributed Map states started them). */
    public ObjectNode list(AwsInput in, ExecutionView execution) {
        int max = in.maxResults();
        List<String> ids = execution.mapRunIds() == null ? List.of() : execution.mapRunIds();
        int from = Tokens.index(in.string("nextToken", 1, 1024));
        String machine = Arns.lastSegment(execution.stateMachineArn());
        ObjectNode out = Json.NODES.objectNode();
        ArrayNode items = out.putArray("mapRuns");
        for (int i = from; i < Math.min(ids.size(), from + max); i++) {
            Optional<MapRunStatus> s = runs.describe(ids.get(i));
            String label = s.map(MapRunStatus::label).orElse(null);
            ObjectNode item = items.addObject().put("executionArn", execution.executionArn())
                    .put("mapRunArn", Arns.parentMapRun(machine, label, ids.get(i)))
                    .put("stateMachineArn", Arns.stateMachine(machine + "/" + labelOrMap(label)));
            s.ifPresent(st -> {
                AwsShapes.putDate(item, "startDate", st.startDate());
                AwsShapes.putDate(item, "stopDate", st.terminal() ? st.stopDate() : null);
            });
        }
        if (from + max < ids.size()) {
            out.put("nextToken", Tokens.of(from + max));
        }
        return out;
    }

    public ObjectNode update(AwsInput in) {
        in.members(Set.of("mapRunArn", "maxConcurrency", "toleratedFailurePercentage", "toleratedFailureCount"), Map.of());
        AwsArns.MapRunArn arn = AwsArns.mapRun("mapRunArn", in.required("mapRunArn"));
        ObjectNode body = Json.NODES.objectNode();
        Long concurrency = in.integer("maxConcurrency", 0, Integer.MAX_VALUE);
        Double percentage = in.number("toleratedFailurePercentage", 0, 100);
        Long count = in.integer("toleratedFailureCount", 0, Long.MAX_VALUE);
        if (concurrency == null && percentage == null && count == null) {
            throw AwsError.validation("UpdateMapRun needs at least one of maxConcurrency, toleratedFailurePercentage "
                    + "and toleratedFailureCount", "MISSING_REQUIRED_PARAMETER", true);
        }
        if (concurrency != null) body.put("maxConcurrency", concurrency);
        if (percentage != null) body.put("toleratedFailurePercentage", percentage);
        if (count != null) body.put("toleratedFailureCount", count);
        status(arn);
        try {
            commands.update(arn.mapRunId(), Json.toString(body));
        } catch (MapRunNotFoundException e) {
            throw notFound(arn);
        } catch (MapRunConflictException e) {
            throw AwsError.validation("Map Run is not in RUNNING state: " + e.getMessage(),
                    "CANNOT_UPDATE_COMPLETED_MAP_RUN", true);
        } catch (InvalidParameterException e) {
            throw AwsError.validation(e.parameter(), e.getMessage());
        }
        return Json.NODES.objectNode();
    }

    /**
     * ListExecutions with a mapRunArn: the run's child executions from the aggregator, in batch order. Batches that
     * never started (dmap's NOT_STARTED) are no executions in AWS's terms and are left out.
     */
    public ObjectNode executions(AwsInput in, String mapRunArn, String statusFilter, String redriveFilter) {
        AwsArns.MapRunArn arn = AwsArns.mapRun("mapRunArn", mapRunArn);
        MapRunStatus s = status(arn);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("status", statusFilter);
        query.put("maxResults", String.valueOf(in.maxResults()));
        query.put("nextToken", in.string("nextToken", 1, 1024));
        AggregatorClient.Answer answer;
        try {
            answer = aggregator.get(arn.mapRunId(), "executions", query);
        } catch (AggregatorClient.AggregatorUnavailableException e) {
            throw new AwsError("ServiceUnavailable", e.getMessage(), 503, null);
        }
        ObjectNode out = Json.NODES.objectNode();
        ArrayNode items = out.putArray("executions");
        if (answer.status() == 404) {
            return out; // the aggregator has not heard of the run yet: no execution has started
        }
        if (answer.status() == 400) {
            throw new AwsError("InvalidToken", "Invalid Token: " + answer.body().path("message").asText());
        }
        if (answer.status() != 200) {
            throw new AwsError("ServiceUnavailable", "the aggregator answered " + answer.status() + ": "
                    + answer.body().path("message").asText(), 503, null);
        }
        String canonical = canonical(arn, s);
        String childMachine = Arns.stateMachine(arn.machine() + "/" + labelOrMap(s.label()));
        for (JsonNode e : answer.body().path("executions")) {
            String status = e.path("status").asText();
            long redriveCount = e.path("redriveCount").asLong();
            if (!EXECUTION_STATUSES.contains(status) || "REDRIVEN".equals(redriveFilter) && redriveCount == 0
                    || "NOT_REDRIVEN".equals(redriveFilter) && redriveCount > 0) {
                continue;
            }
            ObjectNode item = items.addObject().put("executionArn", e.path("executionArn").asText())
                    .put("stateMachineArn", childMachine).put("name", e.path("name").asText()).put("status", status);
            AwsShapes.putDate(item, "startDate", instant(e.path("startDate")));
            AwsShapes.putDate(item, "stopDate", instant(e.path("stopDate")));
            item.put("mapRunArn", canonical).put("itemCount", e.path("itemCount").asLong())
                    .put("redriveCount", redriveCount);
        }
        if (answer.body().hasNonNull("nextToken")) {
            out.put("nextToken", answer.body().path("nextToken").asText());
        }
        return out;
    }

    private MapRunStatus status(AwsArns.MapRunArn arn) {
        return runs.describe(arn.mapRunId()).orElseThrow(() -> notFound(arn));
    }

    private static AwsError notFound(AwsArns.MapRunArn arn) {
        return new AwsError("ResourceNotFound", "Resource not found: map run '" + arn.mapRunId() + "'");
    }

    /** The run's ARN in dmap's form: the aggregator's for a run posted to /map-runs, the parent's form otherwise. */
    private static String canonical(AwsArns.MapRunArn arn, MapRunStatus s) {
        if (REST_MACHINE.equals(arn.machine()) && s.mapRunArn() != null) {
            return s.mapRunArn();
        }
        return Arns.parentMapRun(arn.machine(), s.label(), s.mapRunId());
    }

    /**
     * The parent execution that started the run: found among the executions of the machine its ARN names. A run posted
     * to /map-runs has none: it is answered as {@code ...:execution:dmap:<mapRunId>}, which no DescribeExecution knows.
     */
    private String parentExecution(AwsArns.MapRunArn arn, String mapRunId) {
        if (!REST_MACHINE.equals(arn.machine()) && workflows.isResolvable()) {
            for (ExecutionView e : workflows.get().list(Arns.stateMachine(arn.machine()), null)) {
                if (e.mapRunIds() != null && e.mapRunIds().contains(mapRunId)) {
                    return e.executionArn();
                }
            }
        }
        return Arns.parentExecution(arn.machine(), mapRunId);
    }

    private static String labelOrMap(String label) {
        return label == null || label.isEmpty() ? "Map" : label;
    }

    private static Instant instant(JsonNode text) {
        return text == null || !text.isTextual() ? null : Instant.parse(text.asText());
    }
}
