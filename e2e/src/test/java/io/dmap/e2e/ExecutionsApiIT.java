package io.dmap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.cli.PlannerApi;
import io.dmap.testsupport.DmapInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /map-runs/{id}/executions} and {@code /failures} through the planner, answered by the aggregator
 * process, on a real run: while it goes (running executions listed), once it failed (the failure with its Error,
 * Cause and input), and after a redrive (the same execution with redriveCount 1, the never-started ones run).
 */
class ExecutionsApiIT {

    static final String OUT = "executions-out";
    static DmapInfra infra;
    static ServicesUnderTest services;

    @BeforeAll
    static void start() throws Exception {
        infra = DmapInfra.shared();
        infra.createBucket(OUT);
        services = new ServicesUnderTest(infra, "executions" + System.nanoTime() % 100000, 4).startAll(1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void executionsAreListedWhileTheRunGoesAfterItFailsAndAfterARedrive() throws Exception {
        PlannerApi api = new PlannerApi(services.plannerUrl());
        String spec = """
                {"Label": "executions", "Input": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
                 "ItemBatcher": {"MaxItemsPerBatch": 1}, "MaxConcurrency": 2,
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                   "StartAt": "Check",
                   "States": {
                     "Check": {"Type": "Choice", "Choices": [{"Variable": "$.Items[0]", "NumericEquals": 6, "Next": "Boom"}],
                               "Default": "Work"},
                     "Boom": {"Type": "Fail", "Error": "Six", "Cause": "six is not allowed"},
                     "Work": {"Type": "Wait", "Seconds": 2, "Next": "Done"},
                     "Done": {"Type": "Pass", "Parameters": {"n.$": "$.Items[0]"}, "End": true}}},
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "%s", "Prefix": "x"}}}
                """.formatted(OUT);
        PlannerApi.Answer created = api.post("/map-runs", spec);
        assertEquals(201, created.status(), () -> String.valueOf(created.body()));
        String id = created.body().path("mapRunId").asText();
        String executions = "/map-runs/" + id + "/executions";

        // while it goes: a child execution waiting 2 s is listed as RUNNING (its input is known once it ends), and the
        // ones that ended already with their input and output
        JsonNode running = await(api, executions + "?status=RUNNING", b -> b.path("executions").size() >= 1);
        JsonNode first = running.path("executions").get(0);
        assertEquals("RUNNING", first.path("status").asText());
        assertTrue(first.hasNonNull("startDate"), first::toString);
        JsonNode ended = await(api, executions + "?status=SUCCEEDED", b -> b.path("executions").size() >= 1)
                .path("executions").get(0);
        int n = ended.path("input").path("Items").get(0).asInt();
        assertEquals(n, ended.path("output").path("n").asInt(), ended::toString);
        assertEquals(400, api.get(executions + "?status=DONE").status());
        assertEquals(404, api.get("/map-runs/no-such-run/executions").status());

        // item 6 fails, no failure is tolerated: the run fails
        JsonNode run = api.awaitTerminal(id, Duration.ofMinutes(2), s -> { });
        assertEquals("FAILED", run.path("status").asText(), run::toString);
        JsonNode failed = api.get(executions + "?status=FAILED").body();
        assertEquals(1, failed.path("executions").size(), failed::toString);
        JsonNode six = failed.path("executions").get(0);
        assertEquals(5, six.path("batchIndex").asInt());
        assertEquals("Six", six.path("error").asText());
        assertEquals("six is not allowed", six.path("cause").asText());
        assertEquals(6, six.path("input").path("Items").get(0).asInt(), six::toString);
        assertEquals(0, six.path("redriveCount").asInt());
        // grouped by Error; the executions the failure interrupted have none: grouped under their status, ABORTED
        JsonNode groups = api.get("/map-runs/" + id + "/failures").body();
        Map<String, Integer> byError = new HashMap<>();
        groups.path("failures").forEach(g -> byError.put(g.path("error").asText(), g.path("executions").asInt()));
        assertEquals(1, byError.get("Six"), groups::toString);
        assertTrue(Set.of("Six", "ABORTED").containsAll(byError.keySet()), groups::toString);
        assertEquals(groups.path("failedExecutions").asInt(), byError.values().stream().mapToInt(Integer::intValue).sum());
        List<JsonNode> before = all(api, executions);
        assertEquals(12, before.size(), "the batches that never started are listed as NOT_STARTED: " + before);
        long succeededBefore = before.stream().filter(e -> "SUCCEEDED".equals(e.path("status").asText())).count();
        assertTrue(succeededBefore < 11, "the run stopped before every item ran: " + succeededBefore);

        // redrive: every execution that had not succeeded runs again (redriveCount 1); batch 6 fails again
        // (deterministically), which stops the attempt again; the successes keep their first result
        PlannerApi.Answer redrive = api.post("/map-runs/" + id + "/redrive", "");
        assertEquals(202, redrive.status(), () -> String.valueOf(redrive.body()));
        await(api, "/map-runs/" + id, b -> b.path("redriveCount").asInt() == 1 && "FAILED".equals(b.path("status").asText())
                && "DONE".equals(b.path("phase").asText()));
        List<JsonNode> after = all(api, executions);
        assertEquals(12, after.size(), after::toString);
        for (int i = 0; i < 12; i++) {
            JsonNode was = before.get(i);
            JsonNode now = after.get(i);
            assertEquals(i, now.path("batchIndex").asInt());
            if ("SUCCEEDED".equals(was.path("status").asText())) {
                assertEquals(was, now, "a success is not run again");
            } else {
                assertEquals(1, now.path("redriveCount").asInt(), now::toString);
                assertTrue(List.of("SUCCEEDED", "FAILED", "ABORTED", "NOT_STARTED").contains(now.path("status").asText()),
                        now::toString);
            }
        }
        JsonNode again = after.get(5);
        assertEquals("FAILED", again.path("status").asText(), again::toString);
        assertEquals("Six", again.path("error").asText());
        assertEquals(1, again.path("redriveCount").asInt());
        assertEquals(List.of(), api.get(executions + "?status=PENDING_REDRIVE").body().path("executions").findValues("batchIndex"),
                "no execution still waits for its redrive");
    }

    /** Every execution, page by page (pages of 5). */
    static List<JsonNode> all(PlannerApi api, String path) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        String token = null;
        do {
            PlannerApi.Answer page = api.get(path + "?maxResults=5" + (token == null ? "" : "&nextToken=" + token));
            assertEquals(200, page.status(), () -> String.valueOf(page.body()));
            page.body().path("executions").forEach(list::add);
            token = page.body().hasNonNull("nextToken") ? page.body().path("nextToken").asText() : null;
        } while (token != null);
        return list;
    }

    static JsonNode await(PlannerApi api, String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        PlannerApi.Answer last = null;
        while (System.nanoTime() < deadline) {
            last = api.get(path);
            if (last.status() == 200 && done.test(last.body())) {
                return last.body();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " never matched; last answer " + (last == null ? null : last.status() + " "
                + last.body()) + services.logs());
    }
}
