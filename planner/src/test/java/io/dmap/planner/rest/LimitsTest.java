package io.dmap.planner.rest;

import io.dmap.planner.it.Specs;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * planner.limits.*: a body over the size limit, a MaxItems over the items-per-run limit and a run past the open-run
 * limit are refused with AWS's error names (the planning side of the items limit is in BatchPlannerTest). No worker
 * or aggregator runs here, so every accepted run stays open.
 */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
@TestProfile(LimitsTest.Small.class)
class LimitsTest {

    public static class Small implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "dmap.topics.namespace", "limits-" + UUID.randomUUID().toString().substring(0, 8),
                    "planner.limits.max-request-bytes", "4000",
                    "planner.limits.max-items-per-run", "50",
                    "planner.limits.max-open-runs", "2");
        }
    }

    @Test
    void limits() {
        // one test method: the open-run count is the app's state, shared by whatever runs before
        String big = "{\"Input\": [\"" + "x".repeat(4000) + "\"], " + Specs.PROCESSOR + "}";
        given().contentType(ContentType.JSON).body(big).when().post("/map-runs")
                .then().statusCode(413).contentType(ContentType.JSON)
                .body("error", equalTo("ValidationException"))
                .body("message", containsString("planner.limits.max-request-bytes"));
        String multiByte = "{\"Input\": [\"" + "€".repeat(1500) + "\"], " + Specs.PROCESSOR + "}"; // < 4000 chars, > 4000 bytes
        given().contentType(ContentType.JSON).body(multiByte).when().post("/map-runs")
                .then().statusCode(413).body("error", equalTo("ValidationException"));

        String maxItems = """
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b", "Prefix": "p/"},
                                "ReaderConfig": {"MaxItems": 51}}, %s}""".formatted(Specs.PROCESSOR);
        given().contentType(ContentType.JSON).body(maxItems)
                .when().post("/map-runs")
                .then().statusCode(400)
                .body("error", equalTo("InvalidDefinition"))
                .body("field", equalTo("ItemReader.ReaderConfig.MaxItems"))
                .body("message", containsString("must be at most 50 (planner.limits.max-items-per-run), was 51"));

        for (int i = 0; i < 2; i++) {
            given().contentType(ContentType.JSON).body(Specs.inline()).when().post("/map-runs").then().statusCode(201);
        }
        given().contentType(ContentType.JSON).body(Specs.inline()).when().post("/map-runs")
                .then().statusCode(400)
                .body("error", equalTo("ExecutionLimitExceeded"))
                .body("message", containsString("2 of 2, planner.limits.max-open-runs"));
    }
}
