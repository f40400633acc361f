package io.dmap.planner.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunStatus;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;
import io.dmap.common.spec.SpecException;
import io.dmap.planner.awsapi.Sfn;
import io.dmap.planner.config.PlannerConfig;
import io.dmap.planner.it.TopicReader;
import io.dmap.planner.messaging.KafkaClients;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Parent executions of whole state machines, through {@link Workflows} on a real planner with the real broker and S3
 * server. The test plays the aggregator: it publishes each map run's terminal snapshot to map-run-status and serves
 * the child outputs ({@link StandIns}).
 */
@QuarkusTest
@TestProfile(StandIns.Profile.class)
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ParentExecutionsTest {

    private static final String ITEM_PROCESSOR = """
            {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
             "StartAt": "Child", "States": {"Child": {"Type": "Pass", "End": true}}}""";

    @Inject
    Workflows workflows;
    @Inject
    WorkflowService service;
    @Inject
    KafkaClients kafka;
    @Inject
    PlannerConfig config;
    @TestHTTPResource("/")
    URL planner;

    @Test
    @Order(1)
    void everyStateTypeRunsAtTheTopLevel() {
        String definition = """
                {"StartAt": "Prepare", "States": {
                  "Prepare": {"Type": "Pass", "Result": {"n": 2, "words": ["a", "b"]}, "ResultPath": "$.p",
                              "Assign": {"factor": 10}, "Next": "Call"},
                  "Call": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
                           "Parameters": {"ApiEndpoint": "%s/echo", "Method": "POST", "RequestBody": {"n.$": "$.p.n"}},
                           "ResultSelector": {"n.$": "$.ResponseBody.echo.n"}, "ResultPath": "$.called",
                           "Next": "Big?"},
                  "Big?": {"Type": "Choice", "Choices": [{"Variable": "$.called.n", "NumericGreaterThan": 1,
                           "Next": "Both"}], "Default": "Nope"},
                  "Nope": {"Type": "Fail", "Error": "Small"},
                  "Both": {"Type": "Parallel", "ResultPath": "$.both", "Next": "Each",
                           "Branches": [{"StartAt": "L", "States": {"L": {"Type": "Pass", "Result": "left", "End": true}}},
                                        {"StartAt": "R", "States": {"R": {"Type": "Pass", "Result": "right", "End": true}}}]},
                  "Each": {"Type": "Map", "ItemsPath": "$.p.words", "ResultPath": "$.upper", "Next": "Pause",
                           "ItemProcessor": {"StartAt": "U", "States": {"U": {"Type": "Pass",
                             "Parameters": {"w.$": "States.Format('{}!', $)"}, "End": true}}}},
                  "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
                  "Done": {"Type": "Succeed", "OutputPath": "$"}}}
                """.formatted(StandIns.url());
        workflows.validate(definition);
        ExecutionView started = workflows.start(machine("everyType", definition), null, "{\"in\": true}");
        assertEquals("RUNNING", started.status());
        ExecutionView done = await(started.executionArn(), v -> !v.status().equals("RUNNING"));
        assertEquals("SUCCEEDED", done.status(), done.error() + ": " + done.cause());
        JsonNode output = Json.parse(done.output());
        assertEquals(2, output.get("called").get("n").asInt(), "the Task's result, through ResultSelector");
        assertEquals(Json.parse("[\"left\", \"right\"]"), output.get("both"));
        assertEquals(Json.parse("[{\"w\": \"a!\"}, {\"w\": \"b!\"}]"), output.get("upper"));
        assertTrue(output.get("in").asBoolean());
        assertTrue(done.stopDate().isAfter(done.startDate().plusMillis(900)), "the Wait waited");
        assertEquals(List.of("ExecutionStarted", "PassStateEntered", "PassStateExited", "TaskStateEntered",
                "TaskStateExited", "ChoiceStateEntered", "ChoiceStateExited", "ParallelStateEntered",
                "ParallelStateExited", "MapStateEntered", "MapStateExited", "WaitStateEntered", "WaitStateExited",
                "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"), types(done.executionArn()));
    }

    @Test
    @Order(2)
    void startIsIdempotentByNameAndAFailStateFailsTheExecution() {
        String definition = """
                {"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "Nope", "Cause": "by design"}}}""";
        MachineDefinition m = machine("failing", definition);
        String name = "run-" + UUID.randomUUID();
        ExecutionView first = workflows.start(m, name, "{}");
        assertEquals(Arns.parentExecution("failing", name), first.executionArn());
        ExecutionView failed = await(first.executionArn(), v -> v.status().equals("FAILED"));
        assertEquals("Nope", failed.error());
        assertEquals("by design", failed.cause());
        assertEquals("REDRIVABLE", failed.redriveStatus());
        WorkflowException again = assertThrows(WorkflowException.class, () -> workflows.start(m, name, "{\"x\": 1}"));
        assertEquals("ExecutionAlreadyExists", again.type());
        assertEquals(1, workflows.list(m.stateMachineArn(), "FAILED").stream()
                .filter(v -> v.name().equals(name)).count());
        assertThrows(SpecException.class, () -> workflows.validate("{\"StartAt\": \"X\", \"States\": {}}"));

        ExecutionView redriven = workflows.redrive(first.executionArn());
        assertEquals(1, redriven.redriveCount());
        ExecutionView failedAgain = await(first.executionArn(), v -> v.status().equals("FAILED") && v.redriveCount() == 1);
        assertNotNull(failedAgain.redriveDate());
        assertTrue(types(first.executionArn()).contains("ExecutionRedriven"));
        WorkflowException unknown = assertThrows(WorkflowException.class,
                () -> workflows.history(Arns.parentExecution("failing", "nobody")));
        assertEquals("ExecutionDoesNotExist", unknown.type());
    }

    @Test
    @Order(3)
    void aDistributedMapsOutputFlowsIntoTheStatesAfterIt() {
        String definition = """
                {"StartAt": "Items", "States": {
                  "Items": {"Type": "Pass", "Result": [{"k": 1}, {"k": 2}, {"k": 3}], "ResultPath": "$.items",
                            "Next": "Fan"},
                  "Fan": {"Type": "Map", "Label": "Fan", "ItemsPath": "$.items", "ItemProcessor": %s,
                          "ResultSelector": {"outputs.$": "$", "count.$": "States.ArrayLength($)"},
                          "ResultPath": "$.fan", "Next": "Check"},
                  "Check": {"Type": "Choice", "Choices": [{"Variable": "$.fan.count", "NumericEquals": 3,
                            "Next": "Done"}], "Default": "Wrong"},
                  "Wrong": {"Type": "Fail", "Error": "Wrong"},
                  "Done": {"Type": "Pass", "End": true}}}
                """.formatted(ITEM_PROCESSOR);
        ExecutionView started = workflows.start(machine("fanOut", definition), "fan-" + UUID.randomUUID(),
                "{\"who\": \"parent\"}");
        String mapRunId = awaitMapRun(started.executionArn(), 1);
        JsonNode requested = runRequested(mapRunId);
        assertEquals(started.executionArn(), requested.get("parent").get("executionArn").asText(),
                "the run's fields see the parent's context object");
        assertEquals("Fan", requested.get("parent").get("stateName").asText());
        assertEquals(Arns.parentMapRun("fanOut", "Fan", mapRunId), requested.get("config").get("mapRunArn").asText(),
                "the aggregator names the run (snapshots, manifest, child executions) as the API does");
        assertEquals(3, requested.get("spec").get("Input").get("items").size(), "the run's Input is the state's input");
        assertFalse(requested.get("spec").has("ResultSelector"));

        StandIns.outputs(mapRunId, List.of(Json.parse("{\"k\": 1}"), Json.parse("{\"k\": 2}"),
                Json.parse("{\"k\": 3}")));
        snapshot(mapRunId, RunStatus.SUCCEEDED, null, null, null, 0);
        ExecutionView done = await(started.executionArn(), v -> !v.status().equals("RUNNING"));
        assertEquals("SUCCEEDED", done.status(), done.error() + ": " + done.cause());
        JsonNode output = Json.parse(done.output());
        assertEquals(3, output.get("fan").get("count").asInt());
        assertEquals(Json.parse("[{\"k\": 1}, {\"k\": 2}, {\"k\": 3}]"), output.get("fan").get("outputs"),
                "the child outputs in item order");
        assertEquals(List.of(mapRunId), done.mapRunIds());
        List<String> types = types(done.executionArn());
        assertEquals(List.of("MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded",
                "MapStateSucceeded", "MapStateExited"), types.subList(3, 9), "AWS's sequence");
        HistoryEvent stateStarted = workflows.history(done.executionArn()).get(4);
        assertEquals("mapStateStartedEventDetails", stateStarted.detailsField());
        assertEquals(3, stateStarted.details().get("length").asInt(), "the items of the state's input");
        HistoryEvent runStarted = workflows.history(done.executionArn()).get(5);
        assertEquals(Arns.parentMapRun("fanOut", "Fan", mapRunId),
                runStarted.details().get("mapRunArn").asText());
        assertEquals("mapRunStartedEventDetails", runStarted.detailsField());

        // DescribeExecution of a child execution, by the ARN ListExecutions with the mapRunArn gives
        String runArn = Arns.parentMapRun("fanOut", "Fan", mapRunId);
        try (SfnClient sfn = Sfn.client(planner, "AKIDTEST", "unused-auth-off")) {
            DescribeExecutionResponse child = sfn.describeExecution(b -> b.executionArn(
                    Arns.childExecution(runArn, mapRunId, 1)));
            assertEquals(ExecutionStatus.SUCCEEDED, child.status());
            assertEquals(Json.parse("{\"k\": 2}"), Json.parse(child.output()));
            assertEquals(runArn, child.mapRunArn());
            assertEquals(Arns.stateMachine("fanOut/Fan"), child.stateMachineArn());
            assertEquals("NOT_REDRIVABLE", child.redriveStatusAsString());
            assertThrows(ExecutionDoesNotExistException.class, () -> sfn.describeExecution(b -> b.executionArn(
                    Arns.childExecution(runArn, mapRunId, 7))));
            SfnException noHistory = assertThrows(SfnException.class, () -> sfn.getExecutionHistory(b -> b
                    .executionArn(Arns.childExecution(runArn, mapRunId, 1))));
            assertEquals("ValidationException", noHistory.awsErrorDetails().errorCode());
            assertTrue(noHistory.getMessage().contains("child execution"), noHistory::getMessage);
        }
    }

    @Test
    @Order(4)
    void aFailedMapRunIsRetriedThenCaughtAndAResultWriterGivesItsDetails() {
        String definition = """
                {"StartAt": "Fan", "States": {
                  "Fan": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": %s,
                          "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                                           "Parameters": {"Bucket": "results", "Prefix": "out"}},
                          "Retry": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "MaxAttempts": 1,
                                     "IntervalSeconds": 1}],
                          "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught", "Next": "Caught"}],
                          "End": true},
                  "Caught": {"Type": "Pass", "End": true}}}
                """.formatted(ITEM_PROCESSOR);
        String input = "{\"items\": [1, 2]}";
        ExecutionView caught = workflows.start(machine("retried", definition), null, input);
        String first = awaitMapRun(caught.executionArn(), 1);
        snapshot(first, RunStatus.FAILED, "States.ExceedToleratedFailureThreshold",
                "The specified tolerated failure threshold was exceeded", null, 0);
        String second = awaitMapRun(caught.executionArn(), 2);
        assertFalse(first.equals(second), "a retry starts a new map run");
        snapshot(second, RunStatus.FAILED, "States.ExceedToleratedFailureThreshold", "again", null, 0);
        ExecutionView done = await(caught.executionArn(), v -> !v.status().equals("RUNNING"));
        assertEquals("SUCCEEDED", done.status(), done.error() + ": " + done.cause());
        assertEquals("States.ExceedToleratedFailureThreshold", Json.parse(done.output()).get("caught").get("Error").asText());
        List<String> types = types(done.executionArn());
        assertEquals(2, types.stream().filter("MapRunFailed"::equals).count());
        HistoryEvent failed = workflows.history(done.executionArn()).stream()
                .filter(e -> e.type().equals("MapRunFailed")).findFirst().orElseThrow();
        assertEquals("The specified tolerated failure threshold was exceeded", failed.details().get("cause").asText());

        ExecutionView written = workflows.start(machine("retried", definition), null, input);
        String run = awaitMapRun(written.executionArn(), 1);
        snapshot(run, RunStatus.SUCCEEDED, null, null, new MapRunStatus.ResultWriterDetails("results",
                "out/" + run + "/manifest.json"), 0);
        ExecutionView ok = await(written.executionArn(), v -> !v.status().equals("RUNNING"));
        assertEquals("SUCCEEDED", ok.status(), ok.error() + ": " + ok.cause());
        assertEquals(Json.parse("{\"MapRunArn\": \"" + Arns.parentMapRun("retried", null, run) + "\","
                + " \"ResultWriterDetails\": {\"Bucket\": \"results\", \"Key\": \"out/" + run + "/manifest.json\"}}"),
                Json.parse(ok.output()));
    }

    @Test
    @Order(5)
    void outputsOver256KiBFailTheStateUncaught() {
        String definition = """
                {"StartAt": "Fan", "States": {
                  "Fan": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": %s,
                          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
                  "Caught": {"Type": "Pass", "End": true}}}
                """.formatted(ITEM_PROCESSOR);
        ExecutionView started = workflows.start(machine("tooBig", definition), null, "{\"items\": [1, 2, 3]}");
        String run = awaitMapRun(started.executionArn(), 1);
        String big = "x".repeat(100 * 1024);
        StandIns.outputs(run, List.of(Json.NODES.textNode(big), Json.NODES.textNode(big), Json.NODES.textNode(big)));
        snapshot(run, RunStatus.SUCCEEDED, null, null, null, 0);
        ExecutionView done = await(started.executionArn(), v -> !v.status().equals("RUNNING"));
        assertEquals("FAILED", done.status());
        assertEquals("States.DataLimitExceeded", done.error());
    }

    @Test
    @Order(6)
    void redriveRedrivesTheFailedMapRunAndStopAbortsARunningOne() {
        String definition = """
                {"StartAt": "Fan", "States": {
                  "Fan": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": %s, "End": true}}}
                """.formatted(ITEM_PROCESSOR);
        MachineDefinition m = machine("redriven", definition);
        ExecutionView started = workflows.start(m, null, "{\"items\": [1]}");
        String run = awaitMapRun(started.executionArn(), 1);
        snapshot(run, RunStatus.FAILED, "States.ExceedToleratedFailureThreshold", "threshold", null, 0);
        ExecutionView failed = await(started.executionArn(), v -> v.status().equals("FAILED"));
        assertEquals("States.ExceedToleratedFailureThreshold", failed.error());

        workflows.redrive(started.executionArn());
        awaitRunEvent(run, "RedriveRequested");
        StandIns.outputs(run, List.of(Json.parse("{\"ok\": 1}")));
        snapshot(run, RunStatus.SUCCEEDED, null, null, null, 1);
        ExecutionView done = await(started.executionArn(), v -> !v.status().equals("RUNNING"));
        assertEquals("SUCCEEDED", done.status(), done.error() + ": " + done.cause());
        assertEquals(List.of(run), done.mapRunIds(), "the same map run, redriven");
        assertEquals(Json.parse("[{\"ok\": 1}]"), Json.parse(done.output()));
        List<String> types = types(done.executionArn());
        assertTrue(types.containsAll(List.of("ExecutionRedriven", "MapRunRedriven")), types.toString());

        ExecutionView stopped = workflows.start(m, null, "{\"items\": [1]}");
        String running = awaitMapRun(stopped.executionArn(), 1);
        ExecutionView aborted = workflows.stop(stopped.executionArn(), "Stopped", "by the test");
        assertEquals("ABORTED", aborted.status());
        assertEquals("Stopped", aborted.error());
        awaitRunEvent(running, "AbortRequested");
        assertTrue(types(stopped.executionArn()).contains("ExecutionAborted"));
    }

    @Test
    @Order(7)
    void aWaitThatStartsAndEndsTheMachineWaits() {
        ExecutionView started = workflows.start(machine("napping", """
                {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 2, "End": true}}}"""), null, "{}");
        ExecutionView done = await(started.executionArn(), v -> !v.status().equals("RUNNING"));
        assertEquals("SUCCEEDED", done.status(), done.error() + ": " + done.cause());
        assertTrue(!done.stopDate().isBefore(done.startDate().plusMillis(1900)), "the Wait waited: " + done);
        List<HistoryEvent> events = workflows.history(done.executionArn());
        assertEquals(List.of("ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"),
                types(done.executionArn()));
        assertTrue(!events.get(2).timestamp().isBefore(events.get(1).timestamp().plusMillis(1900)),
                "WaitStateExited is recorded when the wait is over");
    }

    @Test
    @Order(8)
    void theMachinesTimeoutSecondsTimesTheExecutionOutAndAbortsItsMapRun() {
        ExecutionView waiting = workflows.start(machine("sleepy", """
                {"TimeoutSeconds": 1, "StartAt": "Nap",
                 "States": {"Nap": {"Type": "Wait", "Seconds": 600, "End": true}}}"""), null, "{}");
        ExecutionView timedOut = await(waiting.executionArn(), v -> !v.status().equals("RUNNING"));
        assertEquals("TIMED_OUT", timedOut.status());
        assertEquals("States.Timeout", timedOut.error());
        assertEquals("REDRIVABLE", timedOut.redriveStatus());
        assertEquals(List.of("ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"), types(waiting.executionArn()));

        String definition = """
                {"TimeoutSeconds": 3, "StartAt": "Fan", "States": {
                  "Fan": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": %s, "End": true}}}
                """.formatted(ITEM_PROCESSOR);
        ExecutionView started = workflows.start(machine("slowFan", definition), null, "{\"items\": [1]}");
        String run = awaitMapRun(started.executionArn(), 1);
        ExecutionView done = await(started.executionArn(), v -> !v.status().equals("RUNNING"));
        assertEquals("TIMED_OUT", done.status());
        assertEquals("States.Timeout", done.error());
        awaitRunEvent(run, "AbortRequested");
        List<String> types = types(done.executionArn());
        assertEquals(List.of("MapRunAborted", "ExecutionTimedOut"), types.subList(types.size() - 2, types.size()));
    }

    @Test
    @Order(9)
    void anExecutionWhoseRecordWouldPassOneKafkaMessageFailsInsteadOfStalling() {
        String definition = """
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "C"},
                 "C": {"Type": "Pass", "Next": "D"}, "D": {"Type": "Pass", "Next": "E"},
                 "E": {"Type": "Pass", "End": true}}}""";
        String input = Json.toString(Json.NODES.objectNode().put("blob", "x".repeat(200 * 1024)));
        ExecutionView started = workflows.start(machine("bulky", definition), null, input);
        ExecutionView done = await(started.executionArn(), v -> !v.status().equals("RUNNING"));
        assertEquals("FAILED", done.status());
        assertEquals("States.Runtime", done.error());
        assertTrue(done.cause().contains("one Kafka message"), done.cause());
        List<String> types = types(done.executionArn());
        assertEquals("ExecutionFailed", types.get(types.size() - 1), types.toString());
    }

    @Test
    @Order(100)
    void aKilledDriverIsResumedByAnotherReplica() throws Exception {
        String definition = """
                {"StartAt": "Fan", "States": {
                  "Fan": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": %s, "Next": "Pause"},
                  "Pause": {"Type": "Wait", "Seconds": 2, "Next": "Done"},
                  "Done": {"Type": "Pass", "End": true}}}
                """.formatted(ITEM_PROCESSOR);
        ExecutionView started = workflows.start(machine("takeover", definition), null, "{\"items\": [1]}");
        String run = awaitMapRun(started.executionArn(), 1);
        service.engine().halt(); // as a killed planner: it writes nothing more

        try (ExecutionStore otherStore = new ExecutionStore(kafka, config);
             ParentEngine other = service.newEngine(otherStore)) {
            otherStore.start();
            other.start();
            StandIns.outputs(run, List.of(Json.parse("7")));
            snapshot(run, RunStatus.SUCCEEDED, null, null, null, 0);
            ExecutionView done = await(started.executionArn(), v -> !v.status().equals("RUNNING"));
            assertEquals("SUCCEEDED", done.status(), done.error() + ": " + done.cause());
            assertEquals(Json.parse("[7]"), Json.parse(done.output()));
            assertEquals(List.of(run), done.mapRunIds(), "the map run was not started again");
            assertEquals(1, types(done.executionArn()).stream().filter("MapRunStarted"::equals).count());
        }
    }

    private static MachineDefinition machine(String name, String definition) {
        return new MachineDefinition(Arns.stateMachine(name), name, definition, "arn:aws:iam::000000000000:role/test");
    }

    private ExecutionView await(String arn, Predicate<ExecutionView> done) {
        long deadline = System.currentTimeMillis() + 60_000;
        ExecutionView v = null;
        while (System.currentTimeMillis() < deadline) {
            v = workflows.describe(arn).orElse(null);
            if (v != null && done.test(v)) {
                return v;
            }
            sleep(50);
        }
        return fail("execution " + arn + " did not get there: " + v + " " + (v == null ? "" : types(arn)));
    }

    private String awaitMapRun(String arn, int count) {
        ExecutionView v = await(arn, x -> x.mapRunIds().size() >= count);
        return v.mapRunIds().get(count - 1);
    }

    private List<String> types(String arn) {
        List<String> types = new ArrayList<>();
        workflows.history(arn).forEach(e -> types.add(e.type()));
        return types;
    }

    /** A terminal DescribeMapRun snapshot, as the aggregator publishes it. */
    private void snapshot(String mapRunId, RunStatus status, String error, String cause,
                          MapRunStatus.ResultWriterDetails details, int redriveCount) {
        Instant now = Instant.now();
        MapRunStatus.Counts counts = new MapRunStatus.Counts(0, 0, 1, 0, 0, 0, 1, 0);
        MapRunStatus snapshot = new MapRunStatus(1, mapRunId, Arns.mapRun(null, mapRunId), null, null, status, RunPhase.DONE,
                true, now, now, 0, 0, 0, counts, counts, error, cause, details, now, redriveCount,
                redriveCount == 0 ? null : now);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(kafka.topics().status(), mapRunId, Json.toBytes(snapshot))).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode runRequested(String mapRunId) {
        return awaitRunEvent(mapRunId, "RunRequested");
    }

    private JsonNode awaitRunEvent(String mapRunId, String type) {
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(kafka.bootstrapServers(),
                kafka.topics().runs(), mapRunId::equals, list -> list.stream().anyMatch(r -> type.equals(
                        parse(r).path("type").asText())));
        return records.stream().map(ParentExecutionsTest::parse).filter(e -> type.equals(e.path("type").asText()))
                .findFirst().orElseThrow();
    }

    private static JsonNode parse(ConsumerRecord<String, byte[]> r) {
        return Json.parse(new String(r.value(), StandardCharsets.UTF_8));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
