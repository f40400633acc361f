package io.dmap.asl.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.ExecutionContext;
import io.dmap.asl.ExecutionResult;
import io.dmap.asl.StateMachineInterpreter;
import io.dmap.asl.StatesError;
import io.dmap.common.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The child-level conformance cases: every folder under {@code src/test/resources/conformance} is one AWS
 * documentation example run through {@link StateMachineInterpreter}, checked against the output (or error) AWS
 * documents. The format is described in that folder's README.md.
 */
class ConformanceTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final ExecutionContext EXECUTION = new ExecutionContext(
            "arn:aws:states:us-east-1:123456789012:execution:conformance:run-1", "run-1",
            "arn:aws:states:us-east-1:123456789012:stateMachine:conformance", NOW, 0);

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    static Path root() throws URISyntaxException {
        return Path.of(ConformanceTest.class.getResource("/conformance").toURI());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesWhatAwsDocuments(String name) throws Exception {
        Path dir = root().resolve(name);
        String provenance = Files.readString(dir.resolve("provenance.md"));
        assertTrue(provenance.contains("https://") && provenance.contains("AWS-REFERENCE"),
                name + ": provenance.md must name the AWS page and the AWS-REFERENCE.md row");
        JsonNode definition = read(dir, "definition.json");
        JsonNode input = Files.exists(dir.resolve("input.json")) ? read(dir, "input.json") : Json.NODES.objectNode();
        JsonNode expected = read(dir, "expected.json");
        ScriptedTasks tasks = new ScriptedTasks(Files.exists(dir.resolve("tasks.json")) ? read(dir, "tasks.json") : null);
        List<Duration> waits = new ArrayList<>();

        StateMachineInterpreter interpreter = new StateMachineInterpreter(tasks, waits::add, Clock.fixed(NOW, ZoneOffset.UTC));
        ExecutionResult result = interpreter.run(definition, input, EXECUTION);

        if (expected.has("Output")) {
            assertEquals(ExecutionResult.Status.SUCCEEDED, result.status(), () -> name + ": " + result);
            assertEquals(expected.get("Output"), result.output(), name);
        } else {
            assertEquals(ExecutionResult.Status.FAILED, result.status(), () -> name + ": " + result);
            assertEquals(expected.path("Error").asText(), result.error(), () -> name + ": " + result);
            if (expected.has("Cause")) {
                assertEquals(expected.get("Cause").asText(), result.cause(), name);
            }
        }
        if (expected.has("TaskCalls")) {
            assertEquals(expected.get("TaskCalls"), tasks.calls(), name + ": what the tasks received");
        }
        if (expected.has("Waits")) {
            List<Double> seconds = waits.stream().map(d -> d.toMillis() / 1000.0).toList();
            List<Double> want = new ArrayList<>();
            expected.get("Waits").forEach(w -> want.add(w.asDouble()));
            assertEquals(want, seconds, name + ": the seconds waited (Wait states and retries)");
        }
    }

    private static JsonNode read(Path dir, String file) throws IOException {
        return Json.parse(Files.readString(dir.resolve(file)));
    }

    /**
     * Task resources answer from tasks.json: per Resource ARN a list of answers, used in order (the last one
     * repeats), each {@code {"Result": ...}} or {@code {"Error": ..., "Cause": ...}}. Every call is recorded.
     */
    static final class ScriptedTasks implements io.dmap.asl.TaskResource {
        private final JsonNode script;
        private final Map<String, Integer> used = new HashMap<>();
        private final com.fasterxml.jackson.databind.node.ArrayNode calls = Json.NODES.arrayNode();

        ScriptedTasks(JsonNode script) {
            this.script = script;
        }

        @Override
        public JsonNode invoke(String resource, JsonNode parameters) throws Exception {
            calls.addObject().put("Resource", resource).set("Parameters", parameters);
            JsonNode answers = script == null ? null : script.get(resource);
            if (answers == null || answers.isEmpty()) {
                throw new IllegalStateException("tasks.json has no answer for " + resource);
            }
            int n = used.merge(resource, 1, Integer::sum) - 1;
            JsonNode answer = answers.get(Math.min(n, answers.size() - 1));
            if (answer.has("Error")) {
                throw new StatesError(answer.get("Error").asText(), answer.path("Cause").asText(null));
            }
            return answer.get("Result").deepCopy();
        }

        JsonNode calls() {
            return calls;
        }
    }
}
