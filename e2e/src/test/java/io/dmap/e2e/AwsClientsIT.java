package io.dmap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.cli.PlannerApi;
import io.dmap.common.json.Json;
import io.dmap.testsupport.DmapInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.MapRunListItem;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.nio.file.Files.readString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Step Functions API driven by clients nobody here wrote: the AWS CLI ({@code aws stepfunctions ...
 * --endpoint-url}) and boto3 ({@code awsapi/boto3_flow.py}), signing with throwaway credentials that the planner
 * verifies (authentication on), against the three services: state machines, and a map run with real child executions
 * described, listed and updated by its ARN. {@code .ci/run} installs Debian's awscli and python3-boto3 when missing.
 */
class AwsClientsIT {

    static final String ACCESS_KEY_ID = "AKIDDMAPE2ETEST0001";
    static final String SECRET = "e2e/throwaway+secret0123456789abcdefghij";
    static final String ROLE = "arn:aws:iam::123456789012:role/dmap-e2e";
    static DmapInfra infra;
    static ServicesUnderTest services;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        infra = DmapInfra.shared();
        work = Files.createTempDirectory("dmap-awsclients");
        services = new ServicesUnderTest(infra, "awsclients" + System.nanoTime() % 100000, 2)
                .with("planner", Map.of("planner.auth.enabled", "true",
                        "planner.aws-api.access-key-id", ACCESS_KEY_ID,
                        "planner.aws-api.secret-access-key", SECRET, // a secret: passed in the environment
                        "planner.auth.api-keys.e2e.sha256", sha256(API_KEY),
                        "planner.auth.api-keys.e2e.role", "operate"))
                .startAll(1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (services != null) {
            services.close();
        }
    }

    /** A client process's exit code and output. */
    record Result(int exit, String out, String err) {
        JsonNode json() {
            return Json.parse(out);
        }
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", work.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 2 minutes");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    static JsonNode aws(String... args) throws Exception {
        Result r = cli(args);
        assertEquals(0, r.exit(), () -> "aws " + String.join(" ", args) + ": " + r.err() + services.logs());
        return r.out().isBlank() ? Json.NODES.objectNode() : r.json();
    }

    static Result cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "stepfunctions"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", services.plannerUrl().toString(), "--output", "json"));
        return run(command);
    }

    @Test
    void theAwsCliAndBoto3DriveStateMachinesAndAMapRun() throws Exception {
        // the AWS CLI: a state machine
        String definition = "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}";
        JsonNode created = aws("create-state-machine", "--name", "cli-machine", "--definition", definition,
                "--role-arn", ROLE);
        String machineArn = created.path("stateMachineArn").asText();
        assertEquals("arn:dmap:states:local:000000000000:stateMachine:cli-machine", machineArn);
        JsonNode described = aws("describe-state-machine", "--state-machine-arn", machineArn);
        assertEquals(definition, described.path("definition").asText());
        assertEquals("STANDARD", described.path("type").asText());
        JsonNode listed = aws("list-state-machines");
        assertTrue(listed.path("stateMachines").findValuesAsText("name").contains("cli-machine"), listed::toString);
        Result missing = cli("describe-state-machine", "--state-machine-arn", machineArn + "-not");
        assertTrue(missing.exit() != 0 && missing.err().contains("StateMachineDoesNotExist"), missing::toString);

        // a map run posted to the REST API is described, listed and updated by its ARN
        String mapRunArn = startMapRun();
        JsonNode running = aws("describe-map-run", "--map-run-arn", mapRunArn);
        assertEquals(mapRunArn, running.path("mapRunArn").asText());
        aws("update-map-run", "--map-run-arn", mapRunArn, "--tolerated-failure-count", "4");
        JsonNode done = awaitMapRun(mapRunArn);
        assertEquals("SUCCEEDED", done.path("status").asText(), done::toString);
        assertEquals(4, done.path("toleratedFailureCount").asInt(), "the update reached the run: " + done);
        assertEquals(6, done.path("itemCounts").path("total").asInt(), done::toString);
        assertEquals(5, done.path("itemCounts").path("succeeded").asInt(), done::toString);
        assertEquals(1, done.path("itemCounts").path("failed").asInt(), done::toString);
        JsonNode failed = aws("list-executions", "--map-run-arn", mapRunArn, "--status-filter", "FAILED");
        assertEquals(1, failed.path("executions").size(), failed::toString);
        assertEquals(mapRunArn, failed.path("executions").get(0).path("mapRunArn").asText());
        JsonNode all = aws("list-executions", "--map-run-arn", mapRunArn, "--page-size", "2");
        assertEquals(6, all.path("executions").size(), "the CLI follows the nextTokens: " + all);
        Result finished = cli("update-map-run", "--map-run-arn", mapRunArn, "--max-concurrency", "3");
        assertTrue(finished.exit() != 0 && finished.err().contains("ValidationException"), finished::toString);

        // boto3: the same and more, checked by the script itself (types of dates, error codes)
        Path script = ServicesUnderTest.repoRoot().resolve("e2e/src/test/resources/awsapi/boto3_flow.py");
        Result boto = run(List.of("python3", script.toString(), services.plannerUrl().toString(), "boto3-machine",
                mapRunArn));
        assertEquals(0, boto.exit(), () -> boto.err() + boto.out() + services.logs());
        String[] lines = boto.out().strip().split("\n");
        JsonNode summary = Json.parse(lines[lines.length - 1]);
        assertEquals("InvalidDefinition", summary.path("invalidDefinition").asText(), summary::toString);
        assertEquals("[\"/StartAt\"]", summary.path("diagnostics").toString());
        assertEquals("SUCCEEDED", summary.path("mapRun").path("status").asText());
        assertEquals(4, summary.path("mapRun").path("toleratedFailureCount").asInt());
        assertEquals(1, summary.path("mapRun").path("maxConcurrency").asInt());
        assertEquals(0, summary.path("itemCounts").path("pendingRedrive").asInt(), summary::toString);
        assertEquals("[\"FAILED\",\"SUCCEEDED\",\"SUCCEEDED\",\"SUCCEEDED\",\"SUCCEEDED\",\"SUCCEEDED\"]",
                summary.path("executions").toString());
        assertEquals(1, summary.path("failedExecutions").asInt());
        assertEquals(6, summary.path("notRedriven").asInt());
        assertEquals("ValidationException", summary.path("updateFinished").get(0).asText(), summary::toString);
        assertEquals("InvalidSignatureException", summary.path("wrongSecret").asText());
    }

    /**
     * Six items, one at a time, each waiting 4 s (the CLI takes a second or two a call); the fifth fails (tolerated). Posted to the REST API, which
     * takes bearer tokens: the planner has an API key too.
     */
    static String startMapRun() throws Exception {
        PlannerApi api = new PlannerApi(services.plannerUrl(), API_KEY);
        PlannerApi.Answer posted = api.post("/map-runs", """
                {"Label": "clients", "Input": [1, 2, 3, 4, 5, 6], "MaxConcurrency": 1, "ToleratedFailureCount": 5,
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                   "StartAt": "Check",
                   "States": {
                     "Check": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 5, "Next": "Boom"}],
                               "Default": "Work"},
                     "Boom": {"Type": "Fail", "Error": "Five", "Cause": "five is not allowed"},
                     "Work": {"Type": "Wait", "Seconds": 4, "End": true}}}}""");
        assertEquals(201, posted.status(), () -> String.valueOf(posted.body()));
        return "arn:dmap:states:local:000000000000:mapRun:dmap/clients:" + posted.body().path("mapRunId").asText();
    }

    static final String API_KEY = "dmap-e2e-operate-key";

    static String sha256(String key) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    static JsonNode awaitMapRun(String mapRunArn) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = aws("describe-map-run", "--map-run-arn", mapRunArn);
            if (!"RUNNING".equals(last.path("status").asText())) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(mapRunArn + " did not end; last " + last + services.logs());
    }

    static final Path RESOURCES = ServicesUnderTest.repoRoot().resolve("e2e/src/test/resources/awsapi");

    /**
     * The flow with the AWS CLI: a state machine with a Distributed Map between two Pass states; one execution
     * whose map run is updated while it runs (its one failure becomes tolerated) ends SUCCEEDED with the Map's result
     * (the array of the children's outputs) in its output; another fails, is redriven, fails again,
     * and its history shows the MapRun events.
     */
    @Test
    void theAwsCliRunsAStateMachineWithADistributedMap() throws Exception {
        String machine = aws("create-state-machine", "--name", "cli-numbers", "--role-arn", ROLE,
                "--definition", "file://" + RESOURCES.resolve("numbers.asl.json")).path("stateMachineArn").asText();
        String input = "{\"numbers\": [1, 2, 3, 4, 5, 13]}";
        JsonNode started = aws("start-execution", "--state-machine-arn", machine, "--name", "tolerant", "--input", input);
        String execution = started.path("executionArn").asText();
        assertEquals("arn:dmap:states:local:000000000000:execution:cli-numbers:tolerant", execution);
        String mapRun = awaitMapRunOf(execution);
        assertTrue(mapRun.startsWith("arn:dmap:states:local:000000000000:mapRun:cli-numbers/echo:"), mapRun);
        aws("update-map-run", "--map-run-arn", mapRun, "--tolerated-failure-count", "1");
        JsonNode done = awaitExecution(execution, 0);
        assertEquals("SUCCEEDED", done.path("status").asText(), done::toString);
        JsonNode output = Json.parse(done.path("output").asText());
        // the Map's result: the outputs of the children that succeeded, in item order (the tolerated failure has none)
        assertEquals(5, output.path("count").asInt(), output::toString);
        assertEquals("[{\"n\":1},{\"n\":2},{\"n\":3},{\"n\":4},{\"n\":5}]", output.path("results").toString());
        JsonNode run = aws("describe-map-run", "--map-run-arn", mapRun);
        assertEquals(execution, run.path("executionArn").asText(), run::toString);
        assertEquals("SUCCEEDED", run.path("status").asText(), run::toString);
        assertEquals(1, run.path("itemCounts").path("failed").asInt(), run::toString);
        JsonNode failedChild = aws("list-executions", "--map-run-arn", mapRun, "--status-filter", "FAILED")
                .path("executions");
        assertEquals(1, failedChild.size());
        String childArn = failedChild.get(0).path("executionArn").asText();
        assertTrue(childArn.startsWith("arn:dmap:states:local:000000000000:execution:cli-numbers/echo:"), childArn);
        // a child execution as AWS names it (...:execution:<machine>/<label>:<name>), described by its ARN
        JsonNode child = aws("describe-execution", "--execution-arn", childArn);
        assertEquals("FAILED", child.path("status").asText(), child::toString);
        assertEquals("Unlucky", child.path("error").asText(), child::toString);
        assertEquals("13", child.path("input").asText(), child::toString);
        assertEquals(mapRun, child.path("mapRunArn").asText(), child::toString);
        assertEquals("REDRIVABLE_BY_MAP_RUN", child.path("redriveStatus").asText(), child::toString);

        String unlucky = aws("start-execution", "--state-machine-arn", machine, "--name", "unlucky",
                "--input", "{\"numbers\": [13]}").path("executionArn").asText();
        JsonNode failed = awaitExecution(unlucky, 0);
        assertEquals("FAILED", failed.path("status").asText(), failed::toString);
        assertEquals("States.ExceedToleratedFailureThreshold", failed.path("error").asText(), failed::toString);
        aws("redrive-execution", "--execution-arn", unlucky);
        JsonNode again = awaitExecution(unlucky, 1);
        assertEquals("FAILED", again.path("status").asText(), again::toString);
        List<String> history = aws("get-execution-history", "--execution-arn", unlucky).path("events")
                .findValuesAsText("type");
        for (String type : List.of("ExecutionStarted", "MapStateEntered", "MapRunStarted", "MapRunFailed",
                "ExecutionFailed", "ExecutionRedriven", "MapRunRedriven")) {
            assertTrue(history.contains(type), type + " is not in " + history);
        }
        assertEquals(List.of("tolerant", "unlucky"), aws("list-executions", "--state-machine-arn", machine)
                .path("executions").findValuesAsText("name").stream().sorted().toList());
    }

    @Test
    void boto3RunsAStateMachineWithADistributedMap() throws Exception {
        Result boto = run(List.of("python3", RESOURCES.resolve("boto3_workflow.py").toString(),
                services.plannerUrl().toString(), "boto3-numbers", RESOURCES.resolve("numbers.asl.json").toString()));
        assertEquals(0, boto.exit(), () -> boto.err() + boto.out() + services.logs());
        String[] lines = boto.out().strip().split("\n");
        JsonNode s = Json.parse(lines[lines.length - 1]);
        assertEquals("SUCCEEDED", s.path("tolerant").path("status").asText(), s::toString);
        assertEquals("[{\"n\":1},{\"n\":2},{\"n\":3},{\"n\":4},{\"n\":5}]", s.path("tolerant").path("output").path("results").toString(), s::toString);
        assertEquals("SUCCEEDED", s.path("mapRun").path("status").asText(), s::toString);
        assertEquals(1, s.path("mapRun").path("toleratedFailureCount").asInt(), s::toString);
        assertEquals(6, s.path("mapRun").path("itemCounts").path("total").asInt(), s::toString);
        assertEquals("[\"FAILED\",\"SUCCEEDED\",\"SUCCEEDED\",\"SUCCEEDED\",\"SUCCEEDED\",\"SUCCEEDED\"]",
                s.path("children").toString());
        assertEquals("FAILED", s.path("unlucky").path("status").asText(), s::toString);
        assertEquals("FAILED", s.path("redriven").path("status").asText(), s::toString);
        assertEquals(1, s.path("redriven").path("redriveCount").asInt(), s::toString);
        List<String> history = new ArrayList<>();
        s.path("history").forEach(t -> history.add(t.asText()));
        assertTrue(history.containsAll(List.of("MapRunStarted", "MapRunFailed", "ExecutionRedriven", "MapRunRedriven")),
                history::toString);
        assertEquals("[\"tolerant\",\"unlucky\"]", s.path("executions").toString());
    }

    static String awaitMapRunOf(String execution) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode runs = aws("list-map-runs", "--execution-arn", execution).path("mapRuns");
            if (!runs.isEmpty()) {
                return runs.get(0).path("mapRunArn").asText();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(execution + " listed no map run" + services.logs());
    }

    static JsonNode awaitExecution(String execution, int redriveCount) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = aws("describe-execution", "--execution-arn", execution);
            if (!"RUNNING".equals(last.path("status").asText()) && last.path("redriveCount").asInt() == redriveCount) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(execution + " did not end; last " + last + services.logs());
    }

    /** The same flow with the AWS SDK for Java v2's SfnClient, signing with the throwaway credentials. */
    @Test
    void theJavaSdkRunsAStateMachineWithADistributedMap() throws Exception {
        try (SfnClient sfn = SfnClient.builder().endpointOverride(services.plannerUrl()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET)))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String definition = readString(RESOURCES.resolve("numbers.asl.json"));
            String machine = sfn.createStateMachine(b -> b.name("sdk-numbers").roleArn(ROLE).definition(definition))
                    .stateMachineArn();
            StartExecutionResponse started = sfn.startExecution(b -> b.stateMachineArn(machine).name("tolerant")
                    .input("{\"numbers\": [1, 2, 3, 4, 5, 13]}"));
            String execution = started.executionArn();
            String mapRun = null;
            for (long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos(); mapRun == null
                    && System.nanoTime() < deadline; Thread.sleep(200)) {
                List<MapRunListItem> runs = sfn.listMapRuns(b -> b.executionArn(execution)).mapRuns();
                mapRun = runs.isEmpty() ? null : runs.get(0).mapRunArn();
            }
            assertTrue(mapRun != null, "no map run listed" + services.logs());
            String run = mapRun;
            sfn.updateMapRun(b -> b.mapRunArn(run).toleratedFailureCount(1L));
            DescribeExecutionResponse done = awaitSdk(sfn, execution, 0);
            assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done::toString);
            assertEquals("[{\"n\":1},{\"n\":2},{\"n\":3},{\"n\":4},{\"n\":5}]", Json.parse(done.output()).path("results").toString(), done::output);
            DescribeMapRunResponse described = sfn.describeMapRun(b -> b.mapRunArn(run));
            assertEquals(execution, described.executionArn());
            assertEquals(1L, described.toleratedFailureCount());
            assertEquals(5L, described.itemCounts().succeeded());

            String unlucky = sfn.startExecution(b -> b.stateMachineArn(machine).name("unlucky")
                    .input("{\"numbers\": [13]}")).executionArn();
            assertEquals(ExecutionStatus.FAILED, awaitSdk(sfn, unlucky, 0).status());
            assertTrue(sfn.redriveExecution(b -> b.executionArn(unlucky)).redriveDate() != null);
            DescribeExecutionResponse again = awaitSdk(sfn, unlucky, 1);
            assertEquals(ExecutionStatus.FAILED, again.status(), again::toString);
            List<HistoryEventType> types = sfn.getExecutionHistoryPaginator(b -> b.executionArn(unlucky)).events()
                    .stream().map(HistoryEvent::type).toList();
            assertTrue(types.containsAll(List.of(HistoryEventType.MAP_RUN_STARTED, HistoryEventType.MAP_RUN_FAILED,
                    HistoryEventType.EXECUTION_REDRIVEN, HistoryEventType.MAP_RUN_REDRIVEN)), types::toString);
            assertThrows(ExecutionDoesNotExistException.class, () -> sfn.describeExecution(b -> b.executionArn(
                    execution + "-never")));
        }
    }

    static DescribeExecutionResponse awaitSdk(SfnClient sfn, String execution, int redriveCount) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        DescribeExecutionResponse last = null;
        while (System.nanoTime() < deadline) {
            last = sfn.describeExecution(b -> b.executionArn(execution));
            if (last.status() != ExecutionStatus.RUNNING && last.redriveCount() == redriveCount) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(execution + " did not end; last " + last + services.logs());
    }
}
