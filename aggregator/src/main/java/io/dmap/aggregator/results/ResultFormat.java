package io.dmap.aggregator.results;

import io.dmap.common.events.OutputType;
import io.dmap.common.events.Transformation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.aggregator.topology.VerbatimJsonSerde;
import io.dmap.common.events.BatchInputRef;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.RunConfig;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * How a child execution appears in the result files, per the ResultWriter's WriterConfig: the full record
 * (Transformation NONE) or, for succeeded executions, only the output (COMPACT) with array outputs spread
 * into their elements (FLATTEN). Failed and pending records are always written in full.
 */
final class ResultFormat {

    private final String mapRunArn;
    private final String mapRunId;
    private final Transformation transformation;
    private final boolean jsonLines;
    private final Function<BatchInputRef, String> claimChecks;

    /**
     * @param mapRunArn   the run's ARN, which the child executions' ARNs derive from
     * @param claimChecks reads an input or output passed by claim check, as JSON text
     */
    ResultFormat(String mapRunArn, String mapRunId, RunConfig.ResultWriterConfig config,
                 Function<BatchInputRef, String> claimChecks) {
        this.claimChecks = claimChecks;
        this.mapRunArn = mapRunArn;
        this.mapRunId = mapRunId;
        this.transformation = config.transformation() == null ? Transformation.NONE : config.transformation();
        this.jsonLines = config.outputType() == OutputType.JSONL;
    }

    boolean jsonLines() {
        return jsonLines;
    }

    /** The file category of a terminal execution record. */
    static ResultCategory category(ExecutionRecord r) {
        return switch (r.executionStatus()) {
            case SUCCEEDED -> ResultCategory.SUCCEEDED;
            case NOT_STARTED -> ResultCategory.PENDING;
            case FAILED, TIMED_OUT, ABORTED -> ResultCategory.FAILED;
        };
    }

    /** The JSON values to write for one record: one, or (FLATTEN) the elements of an array output. */
    List<JsonNode> entries(ExecutionRecord r) {
        if (r.executionStatus() != ExecutionStatus.SUCCEEDED || transformation == Transformation.NONE) {
            return List.of(full(r));
        }
        JsonNode output = r.output() == null && r.outputRef() != null ? Json.parse(claimChecks.apply(r.outputRef()))
                : r.output() == null ? Json.NODES.nullNode() : r.output();
        JsonNode array = transformation == Transformation.FLATTEN ? VerbatimJsonSerde.tree(output) : null; // as read: text
        if (array != null && array.isArray()) {
            List<JsonNode> elements = new ArrayList<>(array.size());
            array.forEach(elements::add);
            return elements;
        }
        return List.of(output);
    }

    ObjectNode full(ExecutionRecord r) {
        ObjectNode node = Json.NODES.objectNode();
        node.put("ExecutionArn", Arns.childExecution(mapRunArn, mapRunId, r.batchIndex()));
        node.put("Name", Arns.executionName(mapRunId, r.batchIndex()));
        node.put("Input", input(r));
        ExecutionStatus status = r.executionStatus();
        if (status == ExecutionStatus.SUCCEEDED) {
            node.put("Output", output(r));
        }
        node.put("Status", status.name());
        if (status == ExecutionStatus.FAILED || status == ExecutionStatus.TIMED_OUT || status == ExecutionStatus.ABORTED) {
            putIfSet(node, "Error", r.error());
            putIfSet(node, "Cause", r.cause());
        }
        putIfSet(node, "StartDate", r.startDate());
        putIfSet(node, "StopDate", r.stopDate());
        node.put("RedriveCount", r.redriveCount());
        node.put("StateMachineArn", Arns.childStateMachine(mapRunArn, mapRunId));
        return node;
    }

    private String input(ExecutionRecord r) {
        if (r.input() == null && r.inputRef() != null) {
            return claimChecks.apply(r.inputRef());
        }
        return Json.toString(r.input() == null ? Json.NODES.nullNode() : r.input());
    }

    /** The output as JSON text, read from S3 when the worker passed it by reference. */
    private String output(ExecutionRecord r) {
        if (r.output() == null && r.outputRef() != null) {
            return claimChecks.apply(r.outputRef());
        }
        return Json.toString(r.output() == null ? Json.NODES.nullNode() : r.output());
    }

    private static void putIfSet(ObjectNode node, String field, Object value) {
        if (value instanceof Instant instant) {
            node.put(field, instant.toString());
        } else if (value != null) {
            node.put(field, value.toString());
        }
    }
}
