package io.dmap.cli;

import io.dmap.common.events.RunStatus;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Map Run API as a user calls it: plain HTTP and JSON. Used by `./dmap` and by the end-to-end tests.
 *
 * @param token a bearer token (API key or OIDC access token) sent with every request; null sends none
 */
public record PlannerApi(URI base, String token) {

    public PlannerApi(URI base) {
        this(base, null);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public record Answer(int status, JsonNode body) {
    }

    /**
     * The first of these planner replicas that answers its liveness check within 2 s (each serves the whole API); the
     * first one when none does, so that the call reports it as unreachable. A TCP connect alone is not enough: a
     * stopped (SIGSTOP) or hung process still accepts connections, and a call to it would wait for its timeout.
     */
    public static PlannerApi firstAnswering(List<String> urls) {
        return firstAnswering(urls, null);
    }

    /** The first replica that answers (as above), sending {@code token} (null for none) as a bearer token. */
    public static PlannerApi firstAnswering(List<String> urls, String token) {
        for (String url : urls) {
            URI base = URI.create(url.trim());
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/q/health/live"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() < 500) { // 200, or 401 where health is behind authentication: it answers
                    return new PlannerApi(base, token);
                }
            } catch (IOException e) {
                // down or hung: try the next replica
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new PlannerApi(URI.create(urls.get(0).trim()), token);
    }

    public Answer post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try {
            if (token != null && !token.isBlank()) {
                request.header("Authorization", "Bearer " + token);
            }
            r = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ConnectException("no dmap planner answers at " + base + " (is the cluster up? start it with ./dmap up)");
        }
        JsonNode body = null;
        if (!r.body().isBlank()) {
            try {
                body = Json.MAPPER.readTree(r.body());
            } catch (IOException e) {
                body = Json.NODES.textNode(r.body());
            }
        }
        return new Answer(r.statusCode(), body);
    }

    /** Polls DescribeMapRun until the run leaves RUNNING, handing every answer to {@code progress}. */
    public JsonNode awaitTerminal(String mapRunId, Duration timeout, Consumer<JsonNode> progress)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Answer a = get("/map-runs/" + mapRunId);
            if (a.status() == 200) {
                last = a.body();
                progress.accept(last);
                if (!RunStatus.RUNNING.name().equals(last.path("status").asText())) {
                    return last;
                }
            }
            Thread.sleep(250);
        }
        throw new IOException("run " + mapRunId + " still not finished after " + timeout.toSeconds() + " s; last status " + last);
    }
}
