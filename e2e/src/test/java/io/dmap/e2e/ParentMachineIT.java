package io.dmap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.testsupport.DmapInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole state machine through the AWS wire protocol on the three services as processes: Pass, then a Distributed
 * Map whose children run on a worker and whose outputs the aggregator serves, then a Choice on the Map's output;
 * and a Distributed Map whose run fails, caught by its Catch. The ItemSelector reads the parent's context object.
 */
class ParentMachineIT {

    static DmapInfra infra;
    static ServicesUnderTest services;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        infra = DmapInfra.shared();
        services = new ServicesUnderTest(infra, "parent" + System.nanoTime() % 100000, 4).startAll(1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void aParentRunsItsDistributedMapAndContinuesWithTheChildOutputs() throws Exception {
        String definition = """
                {"StartAt": "Items", "States": {
                  "Items": {"Type": "Pass", "Result": [1, 2, 3, 4], "ResultPath": "$.items", "Next": "Fan"},
                  "Fan": {"Type": "Map", "Label": "fan", "ItemsPath": "$.items",
                          "ItemSelector": {"n.$": "$$.Map.Item.Value", "parent.$": "$$.Execution.Name"},
                          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                            "StartAt": "Double", "States": {"Double": {"Type": "Pass",
                              "Parameters": {"twice.$": "States.MathAdd($.n, $.n)", "parent.$": "$.parent"},
                              "End": true}}},
                          "ResultPath": "$.doubled", "Next": "Check"},
                  "Check": {"Type": "Choice", "Choices": [{"Variable": "$.doubled[3].twice", "NumericEquals": 8,
                            "Next": "Risky"}], "Default": "Wrong"},
                  "Wrong": {"Type": "Fail", "Error": "Wrong"},
                  "Risky": {"Type": "Map", "ItemsPath": "$.items",
                            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                              "StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom"}}},
                            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught", "Next": "Done"}],
                            "End": true},
                  "Done": {"Type": "Pass", "End": true}}}
                """;
        ObjectNode create = Json.NODES.objectNode().put("name", "parentIT").put("definition", definition)
                .put("roleArn", "arn:aws:iam::123456789012:role/dmap");
        String machine = call("CreateStateMachine", create).path("stateMachineArn").asText();
        String execution = call("StartExecution", Json.NODES.objectNode().put("stateMachineArn", machine)
                .put("name", "first").put("input", "{}")).path("executionArn").asText();
        JsonNode described = null;
        for (int i = 0; i < 1200; i++) {
            described = call("DescribeExecution", Json.NODES.objectNode().put("executionArn", execution));
            if (!"RUNNING".equals(described.path("status").asText())) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals("SUCCEEDED", described.path("status").asText(), described::toString);
        JsonNode output = Json.parse(described.path("output").asText());
        assertEquals(Json.parse("[{\"twice\": 2, \"parent\": \"first\"}, {\"twice\": 4, \"parent\": \"first\"},"
                + " {\"twice\": 6, \"parent\": \"first\"}, {\"twice\": 8, \"parent\": \"first\"}]"), output.get("doubled"),
                "the child outputs in item order; the ItemSelector saw the parent's $$.Execution.Name");
        assertEquals("States.ExceedToleratedFailureThreshold", output.path("caught").path("Error").asText(),
                output::toString);

        List<String> types = new ArrayList<>();
        call("GetExecutionHistory", Json.NODES.objectNode().put("executionArn", execution)).path("events")
                .forEach(e -> types.add(e.path("type").asText()));
        assertTrue(types.containsAll(List.of("MapRunStarted", "MapRunSucceeded", "MapRunFailed", "MapStateExited",
                "ExecutionSucceeded")), types::toString);
        JsonNode runs = call("ListMapRuns", Json.NODES.objectNode().put("executionArn", execution)).path("mapRuns");
        assertEquals(2, runs.size(), runs::toString);
        JsonNode first = call("DescribeMapRun", Json.NODES.objectNode().put("mapRunArn",
                runs.get(0).path("mapRunArn").asText()));
        assertEquals("SUCCEEDED", first.path("status").asText(), first::toString);
        assertEquals(4, first.path("itemCounts").path("succeeded").asInt(), first::toString);
    }

    private static JsonNode call(String operation, JsonNode body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(services.plannerUrl() + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AWSStepFunctions." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(Json.toString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), () -> operation + ": " + r.body());
        return Json.parse(r.body().isEmpty() ? "{}" : r.body());
    }
}
