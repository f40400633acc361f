package io.dmap.service.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.asl.StatesError;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * {@code arn:aws:states:::lambda:invoke}: the FunctionName is looked up in {@code worker.lambda.functions} (by name,
 * full ARN, or the name inside an ARN) and the Payload POSTed to that URL as JSON. The result is
 * {@code {ExecutedVersion, Payload, StatusCode: 200}}; a Lambda-style error body ({@code errorType},
 * {@code errorMessage}) fails the task with Error = errorType, Cause = errorMessage.
 */
public final class LambdaInvoke {

    private final HttpClient client;
    private final Map<String, String> functions;
    private final OutboundGuard guard;

    /** @param guard where the configured function URLs may point (checked at each call: DNS may change) */
    public LambdaInvoke(HttpClient client, Map<String, String> functions, OutboundGuard guard) {
        this.client = client;
        this.functions = Map.copyOf(functions);
        this.guard = guard;
    }

    public JsonNode invoke(JsonNode p) throws StatesError, InterruptedException {
        JsonNode name = p == null ? null : p.get("FunctionName");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw StatesError.runtime("lambda:invoke needs the parameter FunctionName");
        }
        JsonNode payload = call(name.asText(), p.has("Payload") ? p.get("Payload") : Json.NODES.objectNode());
        ObjectNode result = Json.NODES.objectNode();
        result.put("ExecutedVersion", "$LATEST");
        result.set("Payload", payload);
        result.put("StatusCode", 200);
        return result;
    }

    /** A Task whose Resource is a Lambda function ARN: the input is the payload, the result the function's output. */
    public JsonNode invokeFunction(String arn, JsonNode input) throws StatesError, InterruptedException {
        return call(arn, input);
    }

    private JsonNode call(String function, JsonNode payload) throws StatesError, InterruptedException {
        URI url = url(function);
        guard.check(url, "Lambda function " + function);
        HttpRequest request = HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.toString(payload)))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StatesError(StatesError.TASK_FAILED, "Lambda function " + function + " at " + url
                    + " could not be reached: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        JsonNode body = HttpResults.body(response.body());
        if (body.isObject() && body.hasNonNull("errorType")) {
            throw new StatesError(body.get("errorType").asText(), body.path("errorMessage").asText(""));
        }
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            throw new StatesError("Lambda.ServiceException", "Lambda function " + function + " answered HTTP "
                    + response.statusCode() + ": " + response.body());
        }
        return body;
    }

    private URI url(String function) throws StatesError {
        String url = functions.get(function);
        if (url == null && function.startsWith("arn:")) {
            String[] parts = function.split(":");
            // arn:aws:lambda:region:account:function:name[:qualifier]
            if (parts.length >= 7) {
                url = functions.get(parts[6]);
            }
        }
        if (url == null) {
            throw new StatesError("Lambda.ResourceNotFoundException", "Function not found: " + function
                    + " (map it to a URL with worker.lambda.functions.\"" + function + "\")");
        }
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw StatesError.runtime("The URL configured for Lambda function " + function + " is invalid: " + url);
        }
    }
}
