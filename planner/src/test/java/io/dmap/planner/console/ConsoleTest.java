package io.dmap.planner.console;

import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's pages, rendered by the planner on the real broker (no aggregator: runs stay as accepted), and the
 * API calls they make that the planner answers alone. The pages in a browser: e2e's ConsoleIT.
 */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
class ConsoleTest {

    private static final String RUN = """
            {"Label": "console-page", "Input": [1, 2, 3], "MaxConcurrency": 3, "ToleratedFailureCount": 2,
             "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
               "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}""";

    @Test
    void theListIsServedAtTheRootAndShowsAnAcceptedRun() {
        String id = start();
        given().accept(ContentType.HTML).get("/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<title>Map runs · dmap console</title>"))
                .body(containsString("/runs/" + id))
                .body(containsString("console-page"));
        given().get("/console/fragments/runs").then().statusCode(200).body(containsString("data-run=\"" + id + "\""));
        given().get("/?status=SUCCEEDED").then().statusCode(200).body(not(containsString("data-run=\"" + id + "\"")));
        given().get("/?status=RUNNING").then().statusCode(200).body(containsString("data-run=\"" + id + "\""));
        given().get("/?status=DONE").then().statusCode(400).body("field", equalTo("status"));
        given().get("/map-runs?status=RUNNING").then().statusCode(200).body("mapRuns.mapRunId", org.hamcrest.Matchers.hasItem(id));
        given().get("/map-runs?status=FAILED").then().statusCode(200)
                .body("mapRuns.mapRunId", not(org.hamcrest.Matchers.hasItem(id)));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/console/console.css").then().statusCode(200).contentType(containsString("text/css"));
        given().get("/console/run.js").then().statusCode(200);
    }

    @Test
    void theRunPageShowsTheSettingsReadBackFromTheRunsDefinition() throws Exception {
        String id = start();
        String page = awaitPage("/runs/" + id, "Input (3 items)");
        assertTrue(page.contains("data-id=\"" + id + "\""), page);
        assertTrue(page.contains("&quot;console-page&quot;") || page.contains("\"console-page\""), "the definition is shown");
        assertTrue(page.contains(">3</dd>"), "MaxConcurrency 3: " + page);
        given().get("/new?from=" + id).then().statusCode(200).body(containsString("console-page"))
                .body(containsString("copied from"));
        given().get("/new").then().statusCode(200).body(containsString("Unlucky"));
        given().get("/runs/no-such-run").then().statusCode(404);
    }

    @Test
    void resultFilesAndExecutionsAreRefusedPlainly() {
        String id = start();
        given().get("/map-runs/" + id + "/results").then().statusCode(409).body("error", equalTo("Conflict"));
        given().get("/map-runs/" + id + "/results/file?key=x").then().statusCode(409);
        given().get("/map-runs/nope/results").then().statusCode(404);
        given().get("/map-runs/nope/executions").then().statusCode(404);
        given().get("/map-runs/" + id + "/executions?status=DONE").then().statusCode(400).body("field", equalTo("status"));
        // no aggregator in this test: the planner says so instead of failing
        given().get("/map-runs/" + id + "/executions").then().statusCode(503).body("error", equalTo("ServiceUnavailable"));
        given().get("/map-runs/" + id + "/failures").then().statusCode(503);
    }

    private static String start() {
        return given().contentType(ContentType.JSON).body(RUN).post("/map-runs").then().statusCode(201)
                .extract().path("mapRunId");
    }

    /** The definition is read back from map-runs, where the POST has just put it. */
    private static String awaitPage(String path, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String page = "";
        while (System.nanoTime() < deadline) {
            page = given().get(path).then().statusCode(200).extract().asString();
            if (page.contains(expected)) {
                return page;
            }
            Thread.sleep(300);
        }
        throw new AssertionError(path + " never showed '" + expected + "':\n" + page);
    }
}
