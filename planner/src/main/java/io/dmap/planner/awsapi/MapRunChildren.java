package io.dmap.planner.awsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.events.ChildExecutionStatus;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;
import io.dmap.planner.executions.AggregatorClient;
import io.dmap.planner.service.MapRunService;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DescribeExecution of a map run's child execution ({@code ...:execution:<machine>/<label>:<mapRunId>-<batchIndex>},
 * as ListExecutions with a mapRunArn gives them), from the aggregator's execution store
 * ({@code GET /internal/map-runs/{id}/executions/{batchIndex}}); an input or output passed by claim check is read
 * from S3.
 */
@ApplicationScoped
public class MapRunChildren {

    private static final Pattern CHILD = Pattern.compile("arn:[^:]+:states:[^:]*:[^:]*:execution:[^:/]+/[^:]+:(.+)-(\\d+)");

    private final MapRunService runs;
    private final AggregatorClient aggregator;
    private final S3Client s3;

    public MapRunChildren(MapRunService runs, AggregatorClient aggregator, S3Client s3) {
        this.runs = runs;
        this.aggregator = aggregator;
        this.s3 = s3;
    }

    /** Whether {@code arn} names a child execution (its machine part is {@code <machine>/<label>}). */
    static boolean isChild(String arn) {
        return CHILD.matcher(arn).matches();
    }

    /** DescribeExecution's answer for the child {@code arn}; {@code data}: with input and output. */
    ObjectNode describe(String arn, boolean data) {
        Matcher m = CHILD.matcher(arn);
        if (!m.matches()) {
            throw notFound(arn);
        }
        String mapRunId = m.group(1);
        long batchIndex = Long.parseLong(m.group(2));
        Optional<MapRunStatus> run = runs.describe(mapRunId);
        if (run.isEmpty()) {
            throw notFound(arn);
        }
        AggregatorClient.Answer answer;
        try {
            answer = aggregator.get(mapRunId, "executions/" + batchIndex, Map.of());
        } catch (AggregatorClient.AggregatorUnavailableException e) {
            throw new AwsError("ServiceUnavailable", e.getMessage(), 503, null);
        }
        if (answer.status() == 404) {
            throw notFound(arn); // not started (yet): AWS has no such execution
        }
        if (answer.status() != 200) {
            throw new AwsError("ServiceUnavailable", "the aggregator answered " + answer.status() + ": "
                    + answer.body().path("message").asText(), 503, null);
        }
        JsonNode e = answer.body();
        ChildExecutionStatus status = ChildExecutionStatus.valueOf(e.path("status").asText());
        if (status == ChildExecutionStatus.NOT_STARTED) {
            throw notFound(arn);
        }
        String mapRunArn = e.path("mapRunArn").asText();
        ObjectNode out = Json.NODES.objectNode().put("executionArn", e.path("executionArn").asText())
                .put("stateMachineArn", Arns.childStateMachine(mapRunArn, mapRunId))
                .put("name", e.path("name").asText())
                .put("status", status.name());
        AwsShapes.putDate(out, "startDate", instant(e.path("startDate")));
        AwsShapes.putDate(out, "stopDate", instant(e.path("stopDate")));
        if (data) {
            out.put("input", text(e, "input"));
            out.putObject("inputDetails").put("included", true);
            if (status == ChildExecutionStatus.SUCCEEDED) {
                out.put("output", text(e, "output"));
                out.putObject("outputDetails").put("included", true);
            }
        }
        AwsShapes.putString(out, "error", e.path("error").asText(null));
        AwsShapes.putString(out, "cause", e.path("cause").asText(null));
        out.put("mapRunArn", mapRunArn).put("redriveCount", e.path("redriveCount").asInt());
        if (status == ChildExecutionStatus.SUCCEEDED) {
            out.put("redriveStatus", "NOT_REDRIVABLE")
                    .put("redriveStatusReason", "Execution is SUCCEEDED and cannot be redriven");
        } else if (status.failure()) {
            out.put("redriveStatus", "REDRIVABLE_BY_MAP_RUN");
        } // running: AWS gives no redrive status
        return out;
    }

    /** The input or output as JSON text, read from S3 when it was passed by claim check. */
    private String text(JsonNode execution, String field) {
        JsonNode ref = execution.get(field + "Ref");
        if (ref != null && ref.isObject()) {
            return s3.getObjectAsBytes(b -> b.bucket(ref.path("bucket").asText()).key(ref.path("key").asText()))
                    .asUtf8String();
        }
        JsonNode value = execution.get(field);
        return Json.toString(value == null ? Json.NODES.nullNode() : value);
    }

    private static AwsError notFound(String arn) {
        return new AwsError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
    }

    private static Instant instant(JsonNode text) {
        return text == null || !text.isTextual() ? null : Instant.parse(text.asText());
    }
}
