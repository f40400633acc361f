package io.dmap.service.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.asl.StatesError;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code arn:aws:states:::http:invoke}: ApiEndpoint, Method, Headers, QueryParameters, RequestBody (and
 * Transform.RequestBodyEncoding URL_ENCODED). Result {StatusCode, StatusText, Headers, ResponseBody}; a status
 * outside 2xx is the error {@code States.Http.StatusCode.<code>}. Every URL, redirect targets included (followed
 * here, at most {@value #MAX_REDIRECTS}, each checked again), must pass the worker's {@link OutboundGuard}.
 */
public final class HttpInvoke {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

    static final int MAX_REDIRECTS = 5;

    private final HttpClient client;
    private final Duration requestTimeout;
    private final OutboundGuard guard;

    /**
     * @param client         must not follow redirects itself ({@link HttpClient.Redirect#NEVER}): this class does,
     *                       checking each target
     * @param requestTimeout how long one request may take (AWS caps HTTP Tasks at 60 s)
     */
    public HttpInvoke(HttpClient client, Duration requestTimeout, OutboundGuard guard) {
        this.client = client;
        this.requestTimeout = requestTimeout;
        this.guard = guard;
    }

    public JsonNode invoke(JsonNode p) throws StatesError, InterruptedException {
        String endpoint = requiredText(p, "ApiEndpoint");
        String method = requiredText(p, "Method").toUpperCase();
        if (!METHODS.contains(method)) {
            throw StatesError.runtime("http:invoke Method must be one of " + METHODS + ", was '" + method + "'");
        }
        URI uri;
        try {
            uri = URI.create(endpoint + query(p.get("QueryParameters"), endpoint.contains("?")));
        } catch (IllegalArgumentException e) {
            throw StatesError.runtime("http:invoke ApiEndpoint is not a valid URL: " + endpoint);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout);
        boolean hasContentType = headers(p.get("Headers"), request);
        JsonNode body = p.get("RequestBody");
        String encoding = p.path("Transform").path("RequestBodyEncoding").asText("NONE");
        String text = null;
        if (body != null && !body.isNull()) {
            if ("URL_ENCODED".equals(encoding) && body.isObject()) {
                text = query(body, true).substring(1);
                contentType(request, hasContentType, "application/x-www-form-urlencoded");
            } else if (body.isTextual()) {
                text = body.asText();
            } else {
                text = Json.toString(body);
                contentType(request, hasContentType, "application/json");
            }
        }
        request.method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(text));
        HttpResponse<String> response = send(request.build());
        ObjectNode result = HttpResults.result(response);
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            throw new StatesError("States.Http.StatusCode." + response.statusCode(), Json.toString(result));
        }
        return result;
    }

    private HttpResponse<String> send(HttpRequest first) throws StatesError, InterruptedException {
        HttpRequest request = first;
        for (int hop = 0; ; hop++) {
            guard.check(request.uri(), "http:invoke " + request.method());
            HttpResponse<String> response = sendOnce(request);
            int status = response.statusCode();
            java.util.Optional<String> location = response.headers().firstValue("Location");
            if (!(status == 301 || status == 302 || status == 303 || status == 307 || status == 308) || location.isEmpty()) {
                return response;
            }
            if (hop == MAX_REDIRECTS) {
                throw new StatesError(StatesError.TASK_FAILED, "http:invoke " + first.uri().getHost()
                        + ": more than " + MAX_REDIRECTS + " redirects");
            }
            URI target;
            try {
                target = request.uri().resolve(location.get());
            } catch (IllegalArgumentException e) {
                throw new StatesError(StatesError.TASK_FAILED, "http:invoke got a redirect to an invalid URL: " + location.get());
            }
            boolean keepMethod = status == 307 || status == 308 || request.method().equals("GET") || request.method().equals("HEAD");
            request = keepMethod ? HttpRequest.newBuilder(request, (name, value) -> true).uri(target).build()
                    : HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Content-Type"))
                    .uri(target).method("GET", HttpRequest.BodyPublishers.noBody()).build();
        }
    }

    private HttpResponse<String> sendOnce(HttpRequest request) throws StatesError, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new StatesError(StatesError.TIMEOUT, "HTTP " + request.method() + " " + request.uri()
                    + " got no response within " + requestTimeout.toSeconds() + " seconds");
        } catch (IOException e) {
            throw new StatesError(StatesError.TASK_FAILED, "HTTP " + request.method() + " " + request.uri()
                    + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private static void contentType(HttpRequest.Builder request, boolean already, String type) {
        if (!already) {
            request.header("Content-Type", type);
        }
    }

    private static boolean headers(JsonNode headers, HttpRequest.Builder request) throws StatesError {
        boolean contentType = false;
        if (headers == null || headers.isNull()) {
            return false;
        }
        if (!headers.isObject()) {
            throw StatesError.runtime("http:invoke Headers must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            for (JsonNode v : h.getValue().isArray() ? h.getValue() : List.of(h.getValue())) {
                try {
                    request.header(h.getKey(), v.isTextual() ? v.asText() : Json.toString(v));
                } catch (IllegalArgumentException e) {
                    throw StatesError.runtime("http:invoke header '" + h.getKey() + "' cannot be sent: " + e.getMessage());
                }
            }
            contentType |= h.getKey().equalsIgnoreCase("Content-Type");
        }
        return contentType;
    }

    /** {@code ?a=1&b=x} from an object (array values repeat the key); empty when there are none. */
    static String query(JsonNode params, boolean append) throws StatesError {
        if (params == null || params.isNull() || params.isEmpty()) {
            return "";
        }
        if (!params.isObject()) {
            throw StatesError.runtime("http:invoke QueryParameters must be an object");
        }
        StringBuilder q = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (JsonNode v : e.getValue().isArray() ? e.getValue() : List.of(e.getValue())) {
                q.append(q.length() == 0 && !append ? '?' : '&')
                        .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v.isTextual() ? v.asText() : Json.toString(v), StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    private static String requiredText(JsonNode p, String field) throws StatesError {
        JsonNode v = p == null ? null : p.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw StatesError.runtime("http:invoke needs the parameter " + field);
        }
        return v.asText();
    }
}
