package io.dmap.aggregator.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.aggregator.tally.RunState;
import io.dmap.aggregator.topology.AggregatorTopology;
import io.dmap.common.events.ChildExecutionStatus;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import io.dmap.service.DmapConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Function;

/**
 * The child executions of a map run, read from the aggregator's execution store (Kafka Streams interactive
 * queries); the planner serves them as {@code GET /map-runs/{id}/executions} and {@code .../failures}.
 *
 * <p>A run's records live in the store of the partition of its id, which one aggregator instance owns. Each
 * instance advertises its HTTP address as {@code application.server}; a request for a run owned by another instance
 * is forwarded to it ({@code queryMetadataForKey}), once ({@code forwarded=true} is answered locally).
 */
@Path("/internal/map-runs/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionsQueryResource {

    private static final Logger LOG = Logger.getLogger(ExecutionsQueryResource.class);
    static final int MAX_PAGE = 1000;
    static final int DEFAULT_PAGE = 100;

    private final KafkaStreams streams;
    private final boolean advertised;
    private final String runsTopic;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ExecutionsQueryResource(KafkaStreams streams, DmapConfig dmap,
                                   @ConfigProperty(name = "kafka-streams.application.server") Optional<String> applicationServer) {
        this.streams = streams;
        this.runsTopic = dmap.topics().names().runs();
        this.advertised = applicationServer.filter(s -> !s.isBlank()).isPresent();
    }

    @GET
    @Path("executions")
    public Response executions(@PathParam("id") String id, @QueryParam("status") String status,
                               @QueryParam("maxResults") String maxResults, @QueryParam("nextToken") String nextToken,
                               @QueryParam("forwarded") boolean forwarded, @Context UriInfo uri) {
        if (status != null && !status.isBlank()
                && Arrays.stream(ChildExecutionStatus.values()).noneMatch(s -> s.name().equals(status))) {
            return error(400, "InvalidParameter", "status", "status: must be one of "
                    + Arrays.toString(ChildExecutionStatus.values()) + ", was '" + status + "'");
        }
        int size;
        long after;
        try {
            size = pageSize(maxResults);
        } catch (IllegalArgumentException e) {
            return error(400, "InvalidParameter", "maxResults", "maxResults: " + e.getMessage());
        }
        try {
            after = nextToken == null || nextToken.isBlank() ? -1 : ExecutionQuery.decode(nextToken);
        } catch (IllegalArgumentException e) {
            return error(400, "InvalidParameter", "nextToken", "nextToken: " + e.getMessage());
        }
        ChildExecutionStatus filter = status == null || status.isBlank() ? null : ChildExecutionStatus.valueOf(status);
        return answer(id, forwarded, uri, run -> {
            String mapRunArn = Arns.mapRunOf(run.config(), id);
            try (KeyValueIterator<String, ExecutionRecord> range = executionStore().range(
                    AggregatorTopology.executionKey(id, after + 1), AggregatorTopology.executionRangeTo(id))) {
                return ExecutionQuery.page(values(range), mapRunArn, filter, after, size);
            }
        });
    }

    /** One child execution (DescribeExecution of a child); 404 when the run has no execution of that batch. */
    @GET
    @Path("executions/{batchIndex}")
    public Response execution(@PathParam("id") String id, @PathParam("batchIndex") long batchIndex,
                              @QueryParam("forwarded") boolean forwarded, @Context UriInfo uri) {
        return answer(id, forwarded, uri, run -> {
            ExecutionRecord r = executionStore().get(AggregatorTopology.executionKey(id, batchIndex));
            return r == null ? null : ExecutionQuery.view(r, Arns.mapRunOf(run.config(), id));
        });
    }

    @GET
    @Path("failures")
    public Response failures(@PathParam("id") String id, @QueryParam("forwarded") boolean forwarded,
                             @Context UriInfo uri) {
        return answer(id, forwarded, uri, run -> {
            try (KeyValueIterator<String, ExecutionRecord> range = executionStore().range(
                    AggregatorTopology.executionRangeFrom(id), AggregatorTopology.executionRangeTo(id))) {
                return ExecutionQuery.failures(values(range));
            }
        });
    }

    private Response answer(String id, boolean forwarded, UriInfo uri, Function<RunState, ObjectNode> query) {
        try {
            Optional<HostInfo> owner = forwarded ? Optional.empty() : owner(id);
            if (owner.isPresent()) {
                return forward(owner.get(), uri);
            }
            RunState run = runStore().get(id);
            if (run == null) {
                return error(404, "ResourceNotFound", null, "the aggregator has no map run '" + id + "'");
            }
            ObjectNode body = query.apply(run);
            if (body == null) {
                return error(404, "ResourceNotFound", null, "map run '" + id + "' has no such execution");
            }
            body.put("mapRunId", id);
            return Response.ok(body).build();
        } catch (InvalidStateStoreException e) {
            return error(503, "ServiceUnavailable", null,
                    "the aggregator's state is not queryable now (starting, rebalancing or restoring); retry");
        }
    }

    /**
     * Another instance when it owns the run's partition; empty when this one does, or when no address is advertised.
     * Ownership is judged from this instance's active tasks (the one that reads the run's partition of map-runs holds
     * its stores), not by comparing addresses, which a proxy or a random port may disguise.
     */
    private Optional<HostInfo> owner(String id) {
        if (!advertised) {
            return Optional.empty(); // a single instance, or one that cannot be reached by the others
        }
        KeyQueryMetadata metadata = streams.queryMetadataForKey(AggregatorTopology.RUNS_STORE, id,
                Serdes.String().serializer());
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            throw new InvalidStateStoreException("no metadata for map run " + id + " yet");
        }
        boolean local = streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .anyMatch(task -> task.topicPartitions().contains(new TopicPartition(runsTopic, metadata.partition())));
        HostInfo active = metadata.activeHost();
        if (local || active == null || active.port() < 0) {
            return Optional.empty();
        }
        return Optional.of(active);
    }

    private Response forward(HostInfo owner, UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery();
        URI target = URI.create("http://" + owner.host() + ":" + owner.port() + uri.getRequestUri().getRawPath()
                + "?" + (query == null ? "" : query + "&") + "forwarded=true");
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            return Response.status(answer.statusCode()).type(MediaType.APPLICATION_JSON_TYPE).entity(answer.body()).build();
        } catch (IOException e) {
            LOG.warnf("cannot reach the aggregator instance %s that owns the run: %s", owner, e.toString());
            return error(503, "ServiceUnavailable", null, "the aggregator instance " + owner.host() + ":" + owner.port()
                    + " that holds this run cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(503, "ServiceUnavailable", null, "interrupted");
        }
    }

    private ReadOnlyKeyValueStore<String, ExecutionRecord> executionStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(AggregatorTopology.EXECUTIONS_STORE,
                QueryableStoreTypes.<String, ExecutionRecord>keyValueStore()));
    }

    private ReadOnlyKeyValueStore<String, RunState> runStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(AggregatorTopology.RUNS_STORE,
                QueryableStoreTypes.<String, RunState>keyValueStore()));
    }

    private static Iterator<ExecutionRecord> values(KeyValueIterator<String, ExecutionRecord> range) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return range.hasNext();
            }

            @Override
            public ExecutionRecord next() {
                KeyValue<String, ExecutionRecord> kv = range.next();
                return kv.value;
            }
        };
    }

    private static int pageSize(String maxResults) {
        if (maxResults == null || maxResults.isBlank()) {
            return DEFAULT_PAGE;
        }
        try {
            int n = Integer.parseInt(maxResults.trim());
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("must be an integer from 1 to " + MAX_PAGE + ", was '" + maxResults + "'");
    }

    private static Response error(int status, String kind, String field, String message) {
        ObjectNode body = Json.NODES.objectNode().put("error", kind);
        if (field != null) {
            body.put("field", field);
        }
        body.put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
