package io.dmap.planner.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.RunStatus;
import io.dmap.common.json.Json;
import io.dmap.planner.config.PlannerConfig;
import io.dmap.planner.service.InvalidParameterException;
import io.dmap.planner.service.LimitExceededException;
import io.dmap.planner.service.MapRunCommands;
import io.dmap.planner.service.MapRunNotFoundException;
import io.dmap.planner.service.MapRunPage;
import io.dmap.planner.service.MapRunService;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.util.List;

/** The map run API, shaped like Step Functions' StartExecution / DescribeMapRun / ListMapRuns. */
@Path("/map-runs")
@Produces(MediaType.APPLICATION_JSON)
public class MapRunResource {

    private static final int MAX_PAGE = 1000;

    private final MapRunService runs;
    private final MapRunCommands commands;
    private final PlannerConfig config;

    public MapRunResource(MapRunService runs, MapRunCommands commands, PlannerConfig config) {
        this.runs = runs;
        this.commands = commands;
        this.config = config;
    }

    /** The body is read as text so that any body, even malformed, gets a precise 400 from the spec parser. */
    @POST
    @Operation(summary = "Start a map run from a Distributed Map state definition (idempotent per Name)")
    public Response start(String definition) {
        checkSize(definition);
        MapRunService.Started started = runs.start(definition);
        StartResponse body = new StartResponse(started.mapRunId(), started.status());
        if (!started.created()) {
            return Response.ok(body).build();
        }
        return Response.status(Response.Status.CREATED).header("Location", "/map-runs/" + started.mapRunId())
                .entity(body).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "DescribeMapRun: the latest status snapshot of a map run")
    public ObjectNode describe(@PathParam("id") String id) {
        return view(runs.describe(id).orElseThrow(() -> new MapRunNotFoundException(id)));
    }

    @GET
    @Operation(summary = "ListMapRuns: newest first, paginated with maxResults and nextToken, optionally only the runs "
            + "with one status (RUNNING, SUCCEEDED, FAILED, ABORTED)")
    public ObjectNode list(@QueryParam("maxResults") String maxResults, @QueryParam("nextToken") String nextToken,
                           @QueryParam("status") String status) {
        MapRunPage page = runs.list(pageSize(maxResults), nextToken, statusFilter(status));
        ObjectNode body = Json.NODES.objectNode();
        List<ObjectNode> items = page.mapRuns().stream().map(MapRunResource::view).toList();
        body.putArray("mapRuns").addAll(items);
        if (page.nextToken() != null) {
            body.put("nextToken", page.nextToken());
        }
        return body;
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-sent events: the current snapshot, then each status change until the run ends")
    public Multi<ObjectNode> events(@PathParam("id") String id) {
        return runs.changes(id).map(MapRunResource::view);
    }

    @POST
    @Path("{id}/abort")
    @Operation(summary = "Abort a map run: batches not yet started are never started")
    public Response abort(@PathParam("id") String id) {
        MapRunStatus status = runs.abort(id);
        return Response.accepted(new StartResponse(status.mapRunId(), status.status())).build();
    }

    @POST
    @Path("{id}/redrive")
    @Operation(summary = "RedriveMapRun: run the failed, timed-out, aborted and never-started executions of a run "
            + "that ended FAILED or ABORTED again (409 otherwise)")
    public Response redrive(@PathParam("id") String id) {
        MapRunStatus status = commands.redrive(id);
        ObjectNode body = Json.NODES.objectNode().put("mapRunId", status.mapRunId())
                .put("redriveCount", status.redriveCount() + 1);
        return Response.accepted(body).build();
    }

    /** The body is read as text so that a malformed one gets a precise 400. */
    @PATCH
    @Path("{id}")
    @Operation(summary = "UpdateMapRun: toleratedFailureCount, toleratedFailurePercentage (applied at once) and "
            + "maxConcurrency (for batches placed from now on) of a run still running")
    public Response update(@PathParam("id") String id, String body) {
        checkSize(body);
        MapRunStatus status = commands.update(id, body);
        return Response.accepted(new StartResponse(status.mapRunId(), status.status())).build();
    }

    /** A body over planner.limits.max-request-bytes (counted in UTF-8 bytes, as AWS counts) is refused with a 413. */
    private void checkSize(String body) {
        int limit = config.limits().maxRequestBytes();
        if (body != null && body.length() > limit / 3) { // a char is at most 3 UTF-8 bytes: count only when it may matter
            long bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > limit) {
                throw LimitExceededException.requestSize(bytes, limit);
            }
        }
    }

    /** Null for all runs. */
    public static RunStatus statusFilter(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        if (RUN_STATUSES.stream().noneMatch(s -> s.name().equals(status))) {
            throw new InvalidParameterException("status", "must be one of " + RUN_STATUSES + ", was '" + status + "'");
        }
        return RunStatus.valueOf(status);
    }

    public static final List<RunStatus> RUN_STATUSES = List.of(RunStatus.values());

    private int pageSize(String maxResults) {
        if (maxResults == null || maxResults.isBlank()) {
            return config.defaultPageSize();
        }
        try {
            int n = Integer.parseInt(maxResults.trim());
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidParameterException("maxResults", "must be an integer from 1 to " + MAX_PAGE + ", was '" + maxResults + "'");
    }

    /** DescribeMapRun's shape: the snapshot without the wire schema version. */
    static ObjectNode view(MapRunStatus status) {
        ObjectNode node = Json.MAPPER.valueToTree(status);
        node.remove("v");
        return node;
    }
}
