package io.dmap.planner.rest;

import io.dmap.planner.it.Specs;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** Bad definitions get a 400 naming the field and the reason, and never hurt the service. */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InvalidSpecTest {

    private static final String PASS_MACHINE = "\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}";

    private static void rejected(String body, String field, String reason) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/map-runs")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", equalTo("InvalidDefinition"))
                .body("field", equalTo(field))
                .body("message", startsWith(field + ": "))
                .body("message", containsString(reason));
    }

    @Test
    void invalidJson() {
        rejected("{\"Input\": [1, 2", "$", "is not valid JSON");
    }

    @Test
    void missingItemProcessor() {
        rejected("{\"Input\": [1]}", "ItemProcessor", "is required");
    }

    @Test
    void startAtNamingNoState() {
        rejected("""
                {"Input": [1], "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
                 "StartAt": "Nowhere", "States": {"P": {"Type": "Pass", "End": true}}}}""",
                "ItemProcessor.StartAt", "names no state: 'Nowhere'");
    }

    @Test
    void unknownInputType() {
        rejected("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"},
                                "ReaderConfig": {"InputType": "XML"}}, %s}""".formatted(Specs.PROCESSOR),
                "ItemReader.ReaderConfig.InputType", "'XML' is not one of [CSV, JSON, JSONL, PARQUET, MANIFEST]");
    }

    @Test
    void negativeMaxConcurrency() {
        rejected("{\"Input\": [1], \"MaxConcurrency\": -1, %s}".formatted(Specs.PROCESSOR),
                "MaxConcurrency", "must be between 0 and 10000, was -1");
    }

    @Test
    void toleratedFailurePercentageOver100() {
        rejected("{\"Input\": [1], \"ToleratedFailurePercentage\": 100.5, %s}".formatted(Specs.PROCESSOR),
                "ToleratedFailurePercentage", "must be between 0 and 100, was 100.5");
    }

    @Test
    void labelWithSpaces() {
        rejected("{\"Input\": [1], \"Label\": \"my label\", %s}".formatted(Specs.PROCESSOR),
                "Label", "must not contain whitespace");
    }

    @Test
    void labelOver40Characters() {
        rejected("{\"Input\": [1], \"Label\": \"%s\", %s}".formatted("L".repeat(41), Specs.PROCESSOR),
                "Label", "must be 1 to 40 characters long, was 41");
    }

    @Test
    void choiceWithoutChoices() {
        rejected("""
                {"Input": [1], "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "Check",
                 "States": {"Check": {"Type": "Choice", "Default": "P"}, "P": {"Type": "Pass", "End": true}}}}""",
                "ItemProcessor.States.Check.Choices", "a Choice state needs a non-empty Choices array");
    }

    @Test
    void inlineProcessorMode() {
        rejected("{\"Input\": [1], \"ItemProcessor\": {\"ProcessorConfig\": {\"Mode\": \"INLINE\"}, %s}}".formatted(PASS_MACHINE),
                "ItemProcessor.ProcessorConfig.Mode", "must be DISTRIBUTED for a Distributed Map, was 'INLINE'");
    }

    @Test
    void emptyBodyAndNonObjectBodiesAndOtherContentTypes() {
        rejected("", "$", "a Map state definition is required");
        rejected("[1, 2]", "$", "must be a JSON object");
        rejected("\"Map\"", "$", "must be a JSON object");
        given().contentType(ContentType.TEXT).body("not json at all")
                .when().post("/map-runs")
                .then().statusCode(400).body("field", equalTo("$")).body("message", containsString("is not valid JSON"));
    }

    @Test
    void sourcesThisPlannerCannotHandleAreRejectedUpFront() {
        rejected("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"}}, %s}"""
                        .formatted(Specs.PROCESSOR),
                "ItemReader.ReaderConfig.InputType", "is required for getObject");
        rejected("{\"Input\": [1], \"ItemSelector\": {\"x.$\": \"$$.Map.Item.Value[\"}, %s}".formatted(Specs.PROCESSOR),
                "ItemSelector.x.$", "is not a valid JSONPath");
    }

    @Test
    void everyProblemIsListedWithItsFieldPath() {
        given().contentType(ContentType.JSON).body("""
                {"Input": [1], "Label": "has space", "MaxConcurrency": -1, "ToleratedFailureCount": 1,
                 "ToleratedFailureCountPath": "$.n", "Retry": [], "Shiny": 1, %s}""".formatted(Specs.PROCESSOR))
                .when().post("/map-runs")
                .then().statusCode(400)
                .body("error", equalTo("InvalidDefinition"))
                .body("problems.field", contains("Shiny", "Retry", "Label", "MaxConcurrency", "ToleratedFailureCount"))
                .body("problems[0].reason", startsWith("is not a field of a Distributed Map state that dmap knows"))
                .body("problems[1].reason", containsString("in a parent state machine"))
                .body("problems[4].reason", containsString("ToleratedFailureCountPath"))
                .body("message", startsWith("5 problems: Shiny: "));
    }

    @Test
    void aWholeStateMachineIsAnsweredWithWhatToPost() {
        rejected("""
                {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true, %s}}}""".formatted(Specs.PROCESSOR),
                "$", "post the value of States.Fan");
    }

    @Test
    void awsDefinitionsDmapUsedToRefuseAreAccepted() {
        for (String body : new String[]{
                // MaxItems 0 means no limit; ItemsPath beside an ItemReader is accepted as AWS accepts it
                """
                {"ItemsPath": "$.x", "Input": {"bucket": "b"}, "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                 "ReaderConfig": {"MaxItems": 0}, "Parameters": {"Bucket.$": "$.bucket"}}, %s}""".formatted(Specs.PROCESSOR),
                """
                {"Input": {"items": [1], "pct": 5}, "ItemsPath": "$.items", "ToleratedFailurePercentagePath": "$.pct",
                 "ItemSelector": {"id.$": "States.Format('item-{}', $$.Map.Item.Index)"}, "End": true, %s}""".formatted(Specs.PROCESSOR)}) {
            given().contentType(ContentType.JSON).body(body).when().post("/map-runs").then().statusCode(201);
        }
    }

    @Test
    void clientErrorsOutsideTheDefinitionAreJsonToo() {
        given().when().get("/map-runs/no-such-run")
                .then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("ResourceNotFound"))
                .body("message", containsString("no-such-run"));
        given().when().get("/map-runs/no-such-run/events")
                .then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("ResourceNotFound"));
        given().when().post("/map-runs/no-such-run/abort")
                .then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("ResourceNotFound"));
        given().when().get("/map-runs?maxResults=0")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("InvalidParameter")).body("field", equalTo("maxResults"));
        given().when().get("/map-runs?maxResults=abc")
                .then().statusCode(400).body("field", equalTo("maxResults"));
        given().when().get("/map-runs?nextToken=%%%")
                .then().statusCode(400).body("field", equalTo("nextToken"));
        given().when().delete("/map-runs")
                .then().statusCode(405).contentType(ContentType.JSON).body("error", notNullValue());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void afterAllThatThePlannerIsHealthyAndStartsAValidRun() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/openapi?format=json").then().statusCode(200).body("paths", notNullValue());
        given().contentType(ContentType.JSON).body(Specs.inline())
                .when().post("/map-runs")
                .then().statusCode(201)
                .header("Location", startsWith("/map-runs/"))
                .body("status", equalTo("RUNNING"))
                .body("mapRunId", notNullValue());
    }
}
