package io.dmap.planner.executions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.events.ChildExecutionStatus;
import io.dmap.common.json.Json;
import io.dmap.planner.rest.ErrorBody;
import io.dmap.planner.service.InvalidParameterException;
import io.dmap.planner.service.MapRunNotFoundException;
import io.dmap.planner.service.MapRunService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ListExecutions for a map run (its child executions, with their Error, Cause, input and output) and the failures
 * grouped by Error, served from the aggregator's execution store while the run is going and after.
 */
@Path("/map-runs/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionsResource {

    private static final Logger LOG = Logger.getLogger(ExecutionsResource.class);
    static final List<String> STATUSES = Arrays.stream(ChildExecutionStatus.values()).map(Enum::name).toList();

    private final MapRunService runs;
    private final AggregatorClient aggregator;

    public ExecutionsResource(MapRunService runs, AggregatorClient aggregator) {
        this.runs = runs;
        this.aggregator = aggregator;
    }

    @GET
    @Path("executions")
    @Operation(summary = "ListExecutions of a map run: its child executions in batch order, with error, cause, "
            + "input and output; filtered by status, paginated with maxResults and nextToken")
    @APIResponse(responseCode = "200", description = "{\"executions\": [...], \"nextToken\"?}")
    @APIResponse(responseCode = "400", description = "InvalidParameter naming status, maxResults or nextToken")
    @APIResponse(responseCode = "404", description = "no such map run")
    @APIResponse(responseCode = "503", description = "the aggregator is unreachable or rebalancing; retry")
    public Response executions(
            @PathParam("id") String id,
            @Parameter(description = "only executions with this status",
                    schema = @Schema(implementation = ChildExecutionStatus.class))
            @QueryParam("status") String status,
            @Parameter(description = "page size, 1 to 1000 (default 100)") @QueryParam("maxResults") String maxResults,
            @Parameter(description = "the nextToken of the previous page") @QueryParam("nextToken") String nextToken) {
        requireRun(id);
        if (status != null && !status.isEmpty() && !STATUSES.contains(status)) {
            throw new InvalidParameterException("status", "must be one of " + STATUSES + ", was '" + status + "'");
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("status", status);
        query.put("maxResults", maxResults);
        query.put("nextToken", nextToken);
        return relay(id, aggregator.get(id, "executions", query), "executions");
    }

    @GET
    @Path("failures")
    @Operation(summary = "The failed, timed-out and aborted child executions of a map run grouped by Error, most "
            + "frequent first: executions and items per Error and an example cause")
    @APIResponse(responseCode = "200", description = "{\"failedExecutions\": n, \"failures\": [{\"error\", "
            + "\"executions\", \"items\", \"exampleCause\"}]}")
    @APIResponse(responseCode = "404", description = "no such map run")
    @APIResponse(responseCode = "503", description = "the aggregator is unreachable or rebalancing; retry")
    public Response failures(@PathParam("id") String id) {
        requireRun(id);
        return relay(id, aggregator.get(id, "failures", Map.of()), "failures");
    }

    private void requireRun(String id) {
        if (runs.describe(id).isEmpty()) {
            throw new MapRunNotFoundException(id);
        }
    }

    /** The aggregator's answer as it is; a run it has not heard of yet (just accepted) has no executions. */
    private static Response relay(String id, AggregatorClient.Answer answer, String what) {
        if (answer.status() == 404) {
            ObjectNode empty = Json.NODES.objectNode();
            empty.putArray(what);
            if (what.equals("failures")) {
                empty.put("failedExecutions", 0);
            }
            return Response.ok(empty.put("mapRunId", id)).build();
        }
        JsonNode body = answer.body();
        return Response.status(answer.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    @ServerExceptionMapper
    public Response unavailable(AggregatorClient.AggregatorUnavailableException e) {
        LOG.warn(e.getMessage());
        return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of("ServiceUnavailable", e.getMessage())).build();
    }
}
