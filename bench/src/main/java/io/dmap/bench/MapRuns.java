package io.dmap.bench;

import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunStatus;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.cli.PlannerApi;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts a map run through the public API and follows it by polling DescribeMapRun, as a user would. */
final class MapRuns {

    private final PlannerApi api;

    MapRuns(PlannerApi api) {
        this.api = api;
    }

    /** Starts a run and returns its id, without following it. */
    String start(String spec) throws IOException, InterruptedException {
        PlannerApi.Answer created = api.post("/map-runs", spec);
        if (created.status() >= 300) {
            throw new IOException("the planner refused the spec (" + created.status() + "): " + created.body());
        }
        return created.body().path("mapRunId").asText();
    }

    /** Every child execution of a run, through ListExecutions' pages (1,000 at a time). */
    List<JsonNode> executions(String id) throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        String token = null;
        do {
            PlannerApi.Answer a = api.get("/map-runs/" + id + "/executions?maxResults=1000"
                    + (token == null ? "" : "&nextToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
            if (a.status() != 200) {
                throw new IOException("ListExecutions of " + id + " answered " + a.status() + ": " + a.body());
            }
            a.body().path("executions").forEach(all::add);
            token = a.body().hasNonNull("nextToken") ? a.body().get("nextToken").asText() : null;
        } while (token != null);
        return all;
    }

    RunTiming run(String spec, Duration pollEvery, Duration timeout) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String id = start(spec);
        double planned = -1, allFinished = -1;
        JsonNode last = null;
        long deadline = t0 + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            PlannerApi.Answer a = api.get("/map-runs/" + id);
            double now = (System.nanoTime() - t0) / 1e9;
            if (a.status() == 200) {
                last = a.body();
                String phase = last.path("phase").asText("");
                String status = last.path("status").asText("");
                if (planned < 0 && !phase.isEmpty() && !RunPhase.PLANNING.name().equals(phase)) {
                    planned = now;
                }
                if (allFinished < 0 && (RunPhase.WRITING_RESULTS.name().equals(phase) || RunPhase.DONE.name().equals(phase)
                        || !RunStatus.RUNNING.name().equals(status))) {
                    allFinished = now;
                }
                if (!RunStatus.RUNNING.name().equals(status)) {
                    return new RunTiming(id, planned < 0 ? now : planned, allFinished, now, last);
                }
            }
            Thread.sleep(pollEvery.toMillis());
        }
        throw new IOException("run " + id + " not finished after " + timeout.toSeconds() + " s; last status " + last);
    }
}
