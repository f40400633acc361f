package io.dmap.planner.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.events.ChildExecutionStatus;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.RunStatus;
import io.dmap.planner.rest.MapRunResource;
import io.dmap.planner.service.MapRunNotFoundException;
import io.dmap.planner.service.MapRunPage;
import io.dmap.planner.service.MapRunService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The console: server-rendered pages (Qute, rendered to a String: blocking, on a worker thread) over the same
 * services as the API; the pages' scripts then follow the
 * run with the API itself (SSE, executions, actions). {@code /q/*} is left to Quarkus.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

    static final int PAGE = 20;
    static final List<String> RUN_STATUSES = MapRunResource.RUN_STATUSES.stream().map(Enum::name).toList();
    static final List<String> EXECUTION_STATUSES = Arrays.stream(ChildExecutionStatus.values()).map(Enum::name).toList();

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance runs(List<RunView> runs, String status, String nextToken, String thisToken, boolean firstPage,
                                            List<String> statuses);

        static native TemplateInstance runs$rows(List<RunView> runs, String status);

        static native TemplateInstance run(RunView run, RunSettings settings, String definition,
                                           List<String> executionStatuses);

        static native TemplateInstance newRun(String definition, String input, String from);
    }

    private final MapRunService runs;
    private final RunDefinitions definitions;
    private final Clock clock = Clock.systemUTC();

    public ConsoleResource(MapRunService runs, RunDefinitions definitions) {
        this.runs = runs;
        this.definitions = definitions;
    }

    @GET
    @Operation(hidden = true)
    public String list(@QueryParam("status") String status, @QueryParam("nextToken") String nextToken) {
        RunStatus filter = MapRunResource.statusFilter(status);
        MapRunPage page = runs.list(PAGE, emptyToNull(nextToken), filter);
        return Templates.runs(views(page), filter == null ? "" : filter.name(), page.nextToken() == null ? "" : page.nextToken(),
                nextToken == null ? "" : nextToken, emptyToNull(nextToken) == null, RUN_STATUSES).render();
    }

    /** The rows of a list page, for its live updates. */
    @GET
    @Path("console/fragments/runs")
    @Operation(hidden = true)
    public String rows(@QueryParam("status") String status, @QueryParam("nextToken") String nextToken) {
        RunStatus filter = MapRunResource.statusFilter(status);
        MapRunPage page = runs.list(PAGE, emptyToNull(nextToken), filter);
        return Templates.runs$rows(views(page), filter == null ? "" : filter.name()).render();
    }

    @GET
    @Path("runs/{id}")
    @Operation(hidden = true)
    public String run(@PathParam("id") String id) {
        MapRunStatus status = runs.describe(id).orElseThrow(() -> new MapRunNotFoundException(id));
        JsonNode definition = definitions.find(id, status.startDate()).orElse(null);
        return Templates.run(new RunView(status, clock.instant()), RunSettings.of(status, definition),
                definition == null ? "" : definition.toPrettyString(), EXECUTION_STATUSES).render();
    }

    /** The new-run form: a sample to start from, or the definition of run {@code from} (without its Name). */
    @GET
    @Path("new")
    @Operation(hidden = true)
    public String newRun(@QueryParam("from") String from) {
        Optional<JsonNode> source = Optional.ofNullable(emptyToNull(from)).flatMap(runs::describe)
                .flatMap(s -> definitions.find(s.mapRunId(), s.startDate()));
        if (source.isPresent()) {
            ObjectNode definition = source.get().deepCopy();
            definition.remove("Name");
            JsonNode input = definition.remove("Input");
            return Templates.newRun(definition.toPrettyString(), input == null ? "" : input.toPrettyString(), from).render();
        }
        return Templates.newRun(resource("console/sample-map.json"), resource("console/sample-input.json"), "").render();
    }

    private List<RunView> views(MapRunPage page) {
        return page.mapRuns().stream().map(s -> new RunView(s, clock.instant())).toList();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String resource(String name) {
        try (InputStream in = ConsoleResource.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
