package io.dmap.planner.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.asl.StatesError;
import io.dmap.common.events.ChildExecutionStatus;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.json.Json;
import io.dmap.planner.executions.AggregatorClient;
import io.dmap.planner.executions.AggregatorClient.AggregatorUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The output of a Distributed Map state whose map run succeeded, as AWS gives it: with a ResultWriter,
 * {@code {"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}} (the manifest); without, the array of the child
 * executions' outputs in item order, read from the aggregator's execution store (an output passed by claim check is
 * read from S3), failing with {@code States.DataLimitExceeded} past 256 KiB.
 */
@ApplicationScoped
public class MapRunOutputs {

    /** AWS: the Map state's result without a ResultWriter may not pass 256 KiB. */
    static final int MAX_RESULT_BYTES = 256 * 1024;
    private static final int PAGE = 1000;

    private final AggregatorClient aggregator;
    private final S3Client s3;

    public MapRunOutputs(AggregatorClient aggregator, S3Client s3) {
        this.aggregator = aggregator;
        this.s3 = s3;
    }

    /**
     * @throws StatesError States.DataLimitExceeded when the outputs pass 256 KiB
     * @throws AggregatorUnavailableException when the outputs cannot be read now (the caller tries again later)
     */
    JsonNode of(MapRunStatus run, String mapRunArn) throws StatesError {
        MapRunStatus.ResultWriterDetails details = run.resultWriterDetails();
        if (details != null && details.bucket() != null) {
            ObjectNode output = Json.NODES.objectNode().put("MapRunArn", mapRunArn);
            output.putObject("ResultWriterDetails").put("Bucket", details.bucket()).put("Key", details.key());
            return output;
        }
        ArrayNode outputs = Json.NODES.arrayNode();
        long bytes = 2;
        String token = null;
        do {
            Map<String, String> query = new HashMap<>();
            query.put("status", ChildExecutionStatus.SUCCEEDED.name());
            query.put("maxResults", Integer.toString(PAGE));
            query.put("nextToken", token);
            AggregatorClient.Answer answer = aggregator.get(run.mapRunId(), "executions", query);
            if (answer.status() != 200 || answer.body() == null) {
                throw new AggregatorUnavailableException("the aggregator answered " + answer.status() + " for the"
                        + " executions of map run " + run.mapRunId() + ": " + answer.body(), null);
            }
            for (JsonNode execution : answer.body().path("executions")) {
                JsonNode output = output(execution);
                bytes += Json.toString(output).getBytes(StandardCharsets.UTF_8).length + 1;
                if (bytes > MAX_RESULT_BYTES) {
                    throw new StatesError(StatesError.DATA_LIMIT_EXCEEDED, "The state/task returned a result with a"
                            + " size exceeding the maximum number of bytes service limit.");
                }
                outputs.add(output);
            }
            token = answer.body().path("nextToken").asText(null);
        } while (token != null);
        return outputs;
    }

    private JsonNode output(JsonNode execution) {
        JsonNode ref = execution.get("outputRef");
        if (ref != null && ref.isObject()) {
            byte[] body = s3.getObjectAsBytes(b -> b.bucket(ref.path("bucket").asText()).key(ref.path("key").asText()))
                    .asByteArray();
            return parse(body);
        }
        JsonNode output = execution.get("output");
        return output == null ? Json.NODES.nullNode() : output;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new AggregatorUnavailableException("an output passed by claim check cannot be read: " + e.getMessage(), e);
        }
    }
}
