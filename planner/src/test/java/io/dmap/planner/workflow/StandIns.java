package io.dmap.planner.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the planner's parent executions talk to besides Kafka and S3, on loopback: the aggregator's executions query
 * (the child outputs a test says a map run had: there is no aggregator in planner tests, the test publishes the run's
 * snapshots itself) and an HTTP endpoint for Task states ({@code /echo} answers {@code {"echo": <request body>}}).
 */
final class StandIns {

    private static HttpServer server;

    private StandIns() {
    }

    static synchronized String url() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/internal/map-runs/", StandIns::executions);
            server.createContext("/echo", StandIns::echo);
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The child outputs of map run {@code mapRunId}, as JSON texts. The server runs in the class loader of the test
     * profile, the test in Quarkus's: they share only JDK classes, so the outputs live in a system-wide map of strings.
     */
    @SuppressWarnings("unchecked")
    static void outputs(String mapRunId, List<JsonNode> outputs) {
        ((Map<String, List<String>>) System.getProperties().computeIfAbsent(KEY, k -> new ConcurrentHashMap<>()))
                .put(mapRunId, outputs.stream().map(Json::toString).toList());
    }

    private static final String KEY = "dmap.test.stand-in-outputs";

    /** One page with every output (in order): enough for the engine's paging, which follows nextToken when given. */
    private static void executions(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/");
        String id = path[3];
        @SuppressWarnings("unchecked")
        Map<String, List<String>> all = (Map<String, List<String>>) System.getProperties().get(KEY);
        List<String> outputs = all == null ? null : all.get(id);
        if (outputs == null) {
            reply(exchange, 404, Json.NODES.objectNode().put("message", "no map run " + id));
            return;
        }
        if (path.length > 5) { // executions/{batchIndex}: one execution, as the aggregator gives it
            int batch = Integer.parseInt(path[5]);
            if (batch >= outputs.size()) {
                reply(exchange, 404, Json.NODES.objectNode().put("message", "no execution " + batch));
                return;
            }
            // named as ParentExecutionsTest's fanOut machine names its run
            String runArn = Arns.parentMapRun("fanOut", "Fan", id);
            ObjectNode one = Json.NODES.objectNode().put("executionArn", Arns.childExecution(runArn, id, batch))
                    .put("mapRunArn", runArn).put("name", Arns.executionName(id, batch)).put("batchIndex", batch)
                    .put("status", "SUCCEEDED").put("startDate", "2026-12-01T00:00:00Z")
                    .put("stopDate", "2026-12-01T00:00:01Z").put("redriveCount", 0);
            one.set("input", Json.parse("{\"k\": " + (batch + 1) + "}"));
            one.set("output", Json.parse(outputs.get(batch)));
            reply(exchange, 200, one);
            return;
        }
        ObjectNode body = Json.NODES.objectNode();
        ArrayNode executions = body.putArray("executions");
        for (int i = 0; i < outputs.size(); i++) {
            executions.addObject().put("batchIndex", i).put("status", "SUCCEEDED").set("output", Json.parse(outputs.get(i)));
        }
        reply(exchange, 200, body);
    }

    private static void echo(HttpExchange exchange) throws IOException {
        JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
        reply(exchange, 200, Json.NODES.objectNode().set("echo", request));
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = Json.toString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The planner with the stand-ins' URL as its aggregator and loopback allowed for parents' Tasks. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("planner.aggregator-url", url(), "planner.workflows.allow-loopback", "true");
        }
    }
}
