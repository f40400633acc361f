package io.dmap.planner.executions;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.planner.config.PlannerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** The aggregator's query API ({@code /internal/map-runs/{id}/...}), read over HTTP. */
@ApplicationScoped
public class AggregatorClient {

    /** An answer of the aggregator: its status code and JSON body. */
    public record Answer(int status, JsonNode body) {
    }

    /** The aggregator could not be reached or gave no JSON. */
    public static final class AggregatorUnavailableException extends RuntimeException {
        public AggregatorUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public AggregatorClient(PlannerConfig config) {
        this.baseUrl = config.aggregatorUrl().replaceAll("/+$", "");
    }

    /** {@code GET /internal/map-runs/{id}/{what}?query}; parameters with a null value are left out. */
    public Answer get(String mapRunId, String what, Map<String, String> query) {
        String q = query.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI uri = URI.create(baseUrl + "/internal/map-runs/" + URLEncoder.encode(mapRunId, StandardCharsets.UTF_8)
                + "/" + what + (q.isEmpty() ? "" : "?" + q));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), Json.parse(r.body()));
        } catch (IOException | RuntimeException e) {
            throw new AggregatorUnavailableException("the aggregator at " + baseUrl + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AggregatorUnavailableException("interrupted while asking the aggregator", e);
        }
    }
}
