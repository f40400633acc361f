package io.dmap.planner.awsapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.planner.it.Specs;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.MapRunStatus;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.UpdateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResponse;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResultCode;
import software.amazon.awssdk.services.sfn.model.ValidationException;
import software.amazon.awssdk.services.sfn.model.ValidationExceptionReason;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Step Functions wire protocol driven by the AWS SDK for Java's own {@link SfnClient} (and raw HTTP where the SDK
 * cannot send the mistake), on the planner with the real broker: state machines, map runs posted to /map-runs, and
 * AWS's errors.
 */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
class AwsApiTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/dmap-test";
    static final String PASS = """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""";

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL planner;

    SfnClient sfn;

    @BeforeEach
    void client() {
        sfn = Sfn.client(planner, "AKIDTESTAWSAPI", "not-checked-with-auth-off");
    }

    @AfterEach
    void close() {
        sfn.close();
    }

    private String name(String base) {
        return base + "-" + System.nanoTime() % 1_000_000;
    }

    @Test
    void stateMachinesAreCreatedDescribedUpdatedAndDeleted() {
        String name = name("orders");
        Instant before = Instant.now().minusSeconds(1);
        CreateStateMachineResponse created = sfn.createStateMachine(b -> b.name(name).definition(PASS).roleArn(ROLE));
        assertEquals("arn:dmap:states:local:000000000000:stateMachine:" + name, created.stateMachineArn());
        assertTrue(created.creationDate().isAfter(before), created::toString);

        DescribeStateMachineResponse d = sfn.describeStateMachine(b -> b.stateMachineArn(created.stateMachineArn()));
        assertEquals(name, d.name());
        assertEquals(PASS, d.definition());
        assertEquals(ROLE, d.roleArn());
        assertEquals(StateMachineType.STANDARD, d.type());
        assertEquals(StateMachineStatus.ACTIVE, d.status());
        assertEquals(created.creationDate(), d.creationDate());
        assertFalse(d.revisionId().isBlank());

        // the same create again is idempotent; another definition under the name is not
        CreateStateMachineResponse again = sfn.createStateMachine(b -> b.name(name).definition(PASS).roleArn(ROLE));
        assertEquals(created.stateMachineArn(), again.stateMachineArn());
        assertEquals(created.creationDate(), again.creationDate());
        StateMachineAlreadyExistsException exists = assertThrows(StateMachineAlreadyExistsException.class,
                () -> sfn.createStateMachine(b -> b.name(name).roleArn(ROLE)
                        .definition("{\"StartAt\": \"Q\", \"States\": {\"Q\": {\"Type\": \"Succeed\"}}}")));
        assertTrue(exists.getMessage().contains(created.stateMachineArn()), exists::getMessage);

        String other = "{\"StartAt\": \"Q\", \"States\": {\"Q\": {\"Type\": \"Succeed\"}}}";
        UpdateStateMachineResponse updated = sfn.updateStateMachine(b -> b.stateMachineArn(created.stateMachineArn())
                .definition(other));
        assertNotEquals(d.revisionId(), updated.revisionId());
        DescribeStateMachineResponse after = sfn.describeStateMachine(b -> b.stateMachineArn(created.stateMachineArn()));
        assertEquals(other, after.definition());
        assertEquals(ROLE, after.roleArn());
        assertEquals(updated.revisionId(), after.revisionId());
        assertEquals(created.creationDate(), after.creationDate());

        // a client that builds the ARN with AWS's partition, region and account names the same machine
        assertEquals(name, sfn.describeStateMachine(b -> b.stateMachineArn(
                "arn:aws:states:us-east-1:123456789012:stateMachine:" + name)).name());

        sfn.deleteStateMachine(b -> b.stateMachineArn(created.stateMachineArn()));
        assertThrows(StateMachineDoesNotExistException.class,
                () -> sfn.describeStateMachine(b -> b.stateMachineArn(created.stateMachineArn())));
        assertThrows(StateMachineDoesNotExistException.class, () -> sfn.updateStateMachine(b -> b
                .stateMachineArn(created.stateMachineArn()).roleArn(ROLE)));
        assertThrows(StateMachineDoesNotExistException.class, () -> sfn.startExecution(b -> b
                .stateMachineArn(created.stateMachineArn())));
    }

    @Test
    void stateMachinesAreListedByNameInPages() {
        String prefix = name("page");
        List<String> names = List.of(prefix + "-a", prefix + "-b", prefix + "-c");
        names.forEach(n -> sfn.createStateMachine(b -> b.name(n).definition(PASS).roleArn(ROLE)));
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListStateMachinesResponse page = sfn.listStateMachines(b -> b.maxResults(2).nextToken(t));
            assertTrue(page.stateMachines().size() <= 2);
            page.stateMachines().stream().map(StateMachineListItem::name).filter(n -> n.startsWith(prefix))
                    .forEach(seen::add);
            page.stateMachines().forEach(m -> {
                assertEquals(StateMachineType.STANDARD, m.type());
                assertTrue(m.creationDate() != null && m.stateMachineArn().endsWith(":" + m.name()));
            });
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertEquals(names, seen);
        assertTrue(pages >= 2, "3 machines at 2 a page");
        assertThrows(InvalidTokenException.class, () -> sfn.listStateMachines(b -> b.nextToken("%%not-ours")));
    }

    @Test
    void badStateMachinesGetAwsErrors() {
        InvalidDefinitionException bad = assertThrows(InvalidDefinitionException.class, () -> sfn.createStateMachine(b -> b
                .name(name("bad")).roleArn(ROLE).definition("{\"StartAt\": \"Nowhere\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}")));
        assertTrue(bad.getMessage().contains("names no state: 'Nowhere'") && bad.getMessage().contains("at /StartAt"),
                bad::getMessage);
        assertThrows(InvalidDefinitionException.class, () -> sfn.createStateMachine(b -> b.name(name("json"))
                .roleArn(ROLE).definition("{\"StartAt\": ")));
        InvalidNameException badName = assertThrows(InvalidNameException.class, () -> sfn.createStateMachine(b -> b
                .name("has space").roleArn(ROLE).definition(PASS)));
        assertTrue(badName.getMessage().contains("U+0020"), badName::getMessage);
        ValidationException express = assertThrows(ValidationException.class, () -> sfn.createStateMachine(b -> b
                .name(name("fast")).roleArn(ROLE).definition(PASS).type(StateMachineType.EXPRESS)));
        assertTrue(express.getMessage().contains("'type'") && express.getMessage().contains("STANDARD"),
                express::getMessage);
        ValidationException logging = assertThrows(ValidationException.class, () -> sfn.createStateMachine(b -> b
                .name(name("logged")).roleArn(ROLE).definition(PASS).loggingConfiguration(l -> l.level("ALL"))));
        assertTrue(logging.getMessage().contains("'loggingConfiguration'"), logging::getMessage);
        assertThrows(InvalidArnException.class, () -> sfn.createStateMachine(b -> b.name(name("role"))
                .roleArn("admin").definition(PASS)));
        assertThrows(InvalidArnException.class, () -> sfn.describeStateMachine(b -> b.stateMachineArn("not-an-arn")));
        assertThrows(StateMachineDoesNotExistException.class, () -> sfn.describeStateMachine(b -> b
                .stateMachineArn("arn:dmap:states:local:000000000000:stateMachine:never-created")));
    }

    @Test
    void definitionsAreValidatedWithDiagnostics() {
        ValidateStateMachineDefinitionResponse ok = sfn.validateStateMachineDefinition(b -> b.definition(PASS));
        assertEquals(ValidateStateMachineDefinitionResultCode.OK, ok.result());
        assertTrue(ok.diagnostics().isEmpty());
        assertFalse(ok.truncated());
        ValidateStateMachineDefinitionResponse fail = sfn.validateStateMachineDefinition(b -> b
                .definition("{\"States\": {}}"));
        assertEquals(ValidateStateMachineDefinitionResultCode.FAIL, fail.result());
        assertEquals(List.of("/States", "/StartAt"), fail.diagnostics().stream().map(d -> d.location()).toList());
        fail.diagnostics().forEach(d -> {
            assertEquals("ERROR", d.severityAsString());
            assertEquals("SCHEMA_VALIDATION_FAILED", d.code());
        });
    }

    @Test
    void mapRunsPostedToTheRestApiAreDescribedAndUpdatedByArn() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"Label\": \"awsapi\", \"ToleratedFailureCount\": 3, \"MaxConcurrency\": 2, \"Input\": [1, 2, 3], "
                        + Specs.PROCESSOR + "}")
                .when().post("/map-runs").then().statusCode(201).extract().path("mapRunId");
        String arn = "arn:dmap:states:local:000000000000:mapRun:dmap/awsapi:" + id;

        DescribeMapRunResponse run = sfn.describeMapRun(b -> b.mapRunArn(arn));
        assertEquals(arn, run.mapRunArn());
        assertEquals("arn:dmap:states:local:000000000000:execution:dmap:" + id, run.executionArn());
        assertTrue(run.status() == MapRunStatus.RUNNING || run.status() == MapRunStatus.SUCCEEDED, run::toString);
        assertTrue(run.startDate().isAfter(Instant.now().minus(Duration.ofMinutes(1))), run::toString);
        assertEquals(2, run.maxConcurrency());
        assertEquals(3L, run.toleratedFailureCount());
        assertEquals(0f, run.toleratedFailurePercentage());
        assertEquals(0L, run.itemCounts().failuresNotRedrivable());
        assertEquals(0L, run.executionCounts().pendingRedrive());
        assertEquals(0, run.redriveCount());
        assertNull(run.redriveDate());

        // UpdateMapRun answers an empty body; the new tolerance reaches the run
        sfn.updateMapRun(b -> b.mapRunArn(arn).toleratedFailureCount(5L));
        ValidationException nothing = assertThrows(ValidationException.class, () -> sfn.updateMapRun(b -> b.mapRunArn(arn)));
        assertEquals(ValidationExceptionReason.MISSING_REQUIRED_PARAMETER, nothing.reason());
        assertThrows(ValidationException.class, () -> sfn.updateMapRun(b -> b.mapRunArn(arn).toleratedFailurePercentage(101f)));

        assertThrows(ResourceNotFoundException.class, () -> sfn.describeMapRun(b -> b.mapRunArn(
                "arn:dmap:states:local:000000000000:mapRun:dmap/awsapi:00000000-0000-0000-0000-000000000000")));
        assertThrows(ResourceNotFoundException.class, () -> sfn.updateMapRun(b -> b.toleratedFailureCount(1L).mapRunArn(
                "arn:dmap:states:local:000000000000:mapRun:dmap/awsapi:00000000-0000-0000-0000-000000000000")));
        assertThrows(InvalidArnException.class, () -> sfn.describeMapRun(b -> b.mapRunArn(id)));

        // the child executions come from the aggregator, which these tests do not run: AWS's 503, retried by clients
        SfnException noAggregator = assertThrows(SfnException.class, () -> sfn.listExecutions(b -> b.mapRunArn(arn)));
        assertEquals(503, noAggregator.statusCode(), noAggregator::getMessage);
        assertEquals("ServiceUnavailable", noAggregator.awsErrorDetails().errorCode());
        ValidationException both = assertThrows(ValidationException.class, () -> sfn.listExecutions(b -> b.mapRunArn(arn)
                .stateMachineArn("arn:dmap:states:local:000000000000:stateMachine:x")));
        assertTrue(both.getMessage().contains("exactly one of stateMachineArn and mapRunArn"), both::getMessage);
    }

    private HttpResponse<String> raw(String target, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(planner.toURI()).header("Content-Type", AwsApiResource.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            r.header("X-Amz-Target", target);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void error(HttpResponse<String> answer, String type, String messagePart) {
        assertEquals(400, answer.statusCode(), answer::body);
        assertEquals(AwsApiResource.CONTENT_TYPE, answer.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = Json.parse(answer.body());
        assertEquals(type, body.path("__type").asText(), answer::body);
        assertTrue(body.path("message").asText().contains(messagePart), answer::body);
    }

    @Test
    void protocolMistakesAreAnsweredAsAwsDoes() throws Exception {
        error(raw("AWSStepFunctions.SendTaskSuccess", "{}"), "UnknownOperationException", "AWSStepFunctions.SendTaskSuccess");
        error(raw(null, "{}"), "UnknownOperationException", "X-Amz-Target");
        error(raw("AWSStepFunctions.DescribeStateMachine", "{\"stateMachineArn\": "), "ValidationException", "not valid JSON");
        error(raw("AWSStepFunctions.DescribeStateMachine", "[]"), "ValidationException", "JSON object");
        error(raw("AWSStepFunctions.DescribeStateMachine", "{}"), "ValidationException", "'stateMachineArn'");
        error(raw("AWSStepFunctions.DescribeStateMachine", "{\"stateMachineArn\": 7}"), "ValidationException", "'stateMachineArn'");
        error(raw("AWSStepFunctions.ListStateMachines", "{\"maxResults\": 5000}"), "ValidationException", "'maxResults'");
        error(raw("AWSStepFunctions.ListStateMachines", "{\"colour\": \"blue\"}"), "ValidationException", "'colour'");
        error(raw("AWSStepFunctions.ValidateStateMachineDefinition", "{\"definition\": \"" + "x".repeat(1_100_000) + "\"}"),
                "ValidationException", "more than 1048576");
        // an empty body is an empty input
        HttpResponse<String> empty = raw("AWSStepFunctions.ListStateMachines", "");
        assertEquals(200, empty.statusCode(), empty::body);
        assertTrue(Json.parse(empty.body()).path("stateMachines").isArray());
    }

    @Test
    void timestampsAreEpochSecondsWithAFraction() throws Exception {
        String name = name("clock");
        HttpResponse<String> created = raw("AWSStepFunctions.CreateStateMachine", Json.toString(Json.NODES.objectNode()
                .put("name", name).put("definition", PASS).put("roleArn", ROLE)));
        assertEquals(200, created.statusCode(), created::body);
        JsonNode date = Json.parse(created.body()).path("creationDate");
        assertTrue(date.isNumber() && !date.isIntegralNumber(), created::body);
        assertTrue(Math.abs(date.asDouble() - Instant.now().toEpochMilli() / 1000.0) < 60, created::body);
    }
}
