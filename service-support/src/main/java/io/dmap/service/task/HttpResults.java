package io.dmap.service.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** The shape of an HTTP Task's result: {StatusCode, StatusText, Headers, ResponseBody (JSON when it parses)}. */
final class HttpResults {

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(202, "Accepted"), Map.entry(204, "No Content"),
            Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"), Map.entry(304, "Not Modified"),
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(409, "Conflict"),
            Map.entry(413, "Payload Too Large"), Map.entry(422, "Unprocessable Entity"), Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private HttpResults() {
    }

    static ObjectNode result(HttpResponse<String> response) {
        ObjectNode result = Json.NODES.objectNode();
        result.put("StatusCode", response.statusCode());
        result.put("StatusText", REASONS.getOrDefault(response.statusCode(), ""));
        ObjectNode headers = result.putObject("Headers");
        for (Map.Entry<String, List<String>> h : response.headers().map().entrySet()) {
            if (h.getKey().startsWith(":")) {
                continue; // HTTP/2 pseudo headers
            }
            ArrayNode values = headers.putArray(h.getKey());
            h.getValue().forEach(values::add);
        }
        result.set("ResponseBody", body(response.body()));
        return result;
    }

    /** JSON when the text is JSON, else the text itself. */
    static JsonNode body(String text) {
        if (text == null || text.isEmpty()) {
            return Json.NODES.textNode(text == null ? "" : text);
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(text);
            return parsed == null ? Json.NODES.textNode(text) : parsed;
        } catch (Exception e) {
            return Json.NODES.textNode(text);
        }
    }
}
