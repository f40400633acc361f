package io.dmap.planner.service;

import io.dmap.service.logging.RunLogContext;
import io.dmap.common.events.AbortRequested;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.ParentRef;
import io.dmap.common.events.RunRequested;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StatesError;
import io.dmap.asl.StatesPaths;
import io.dmap.asl.map.MapContext;
import io.dmap.asl.map.MapRunResolver;
import io.dmap.common.events.RunStatus;
import io.dmap.common.json.Json;
import io.dmap.asl.map.MapRunSpec;
import io.dmap.asl.map.SpecParser;
import io.dmap.common.spec.SpecException;
import io.dmap.planner.config.PlannerConfig;
import io.dmap.planner.messaging.RunEventPublisher;
import io.dmap.planner.messaging.StatusView;
import io.dmap.planner.planning.ItemReaderFactory;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The map runs as the API sees them: starts runs (idempotently by Name), describes and lists them from the
 * status view, and asks for aborts. Runs accepted here but not yet in the status view are served from a
 * local RUNNING snapshot until the aggregator's first snapshot arrives.
 */
@ApplicationScoped
public class MapRunService {

    private static final Logger LOG = Logger.getLogger(MapRunService.class);

    /** The answer to a POST: {@code created} is false when the Name already named a run. */
    public record Started(boolean created, String mapRunId, RunStatus status) {
    }

    private final StatusView statusView;
    private final RunEventPublisher runEvents;
    private final ItemReaderFactory readers;
    private final PlannerConfig config;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, MapRunStatus> accepted = new ConcurrentHashMap<>();

    public MapRunService(StatusView statusView, RunEventPublisher runEvents,
                         ItemReaderFactory readers, PlannerConfig config) {
        this.statusView = statusView;
        this.runEvents = runEvents;
        this.readers = readers;
        this.config = config;
    }

    @PostConstruct
    void forgetAcceptedOnceSnapshotted() {
        statusView.addListener(status -> accepted.remove(status.mapRunId()));
    }

    /**
     * Accepts a run: publishes RunRequested and returns; the planner replica that owns the run's map-runs partition
     * plans it ({@link PlanningService}).
     */
    public Started start(String definition) {
        return start(definition, null);
    }

    /**
     * As {@link #start(String)}, for a run that a parent execution's Distributed Map state starts: its fields see the
     * parent's context object ({@code parent}; null for a run on its own).
     */
    public Started start(String definition, ParentRef parent) {
        MapRunSpec spec = SpecParser.parse(definition);
        readers.checkSupported(spec);
        checkItemLimit(spec);
        String mapRunId = RunIds.forName(spec.name());
        if (spec.name() != null) {
            statusView.awaitCaughtUp(config.statusCatchUpTimeout());
            Optional<MapRunStatus> known = describe(mapRunId);
            if (known.isPresent()) {
                return new Started(false, mapRunId, known.get().status());
            }
        }
        checkOpenRuns();
        Instant now = clock.instant();
        // the values the run starts with (MaxConcurrencyPath, ResultWriter Bucket.$...); the planner resolves the run
        // the same way from RunRequested and, if a value is bad, fails it as AWS does
        spec = RunConfigs.resolvedForConfig(spec, MapContext.forRun(mapRunId, spec, now, parent));
        MapRunStatus previous = accepted.putIfAbsent(mapRunId, RunConfigs.acceptedStatus(mapRunId, spec, now,
                parent));
        if (previous != null) {
            return new Started(false, mapRunId, previous.status());
        }
        try {
            runEvents.publish(RunRequested.of(mapRunId, spec.name(), now, RunConfigs.of(spec, parent), spec.raw(),
                    parent));
        } catch (RuntimeException e) {
            accepted.remove(mapRunId);
            throw e;
        }
        try (RunLogContext log = RunLogContext.run(mapRunId)) {
            LOG.infof("accepted%s", spec.name() == null ? "" : " (Name " + spec.name() + ")");
        }
        return new Started(true, mapRunId, RunStatus.RUNNING);
    }

    /**
     * AWS's {@code MapStateStarted.length} of a run {@code definition}: the number of items its Input gives (after
     * InputPath and ItemsPath, or Items), 0 when an ItemReader reads them (AWS records 0 then) or when they cannot be
     * resolved (starting the run then reports why).
     */
    public int stateDataLength(String definition, ParentRef parent) {
        try {
            MapRunSpec spec = SpecParser.parse(definition);
            if (spec.itemReader() != null) {
                return 0;
            }
            MapRunSpec resolved = MapRunResolver.resolve(spec, MapContext.forRun(RunIds.forName(spec.name()), spec,
                    clock.instant(), parent));
            MapRunSpec.RunTimeFields rt = resolved.runTime();
            JsonNode items = rt != null && rt.items() != null ? rt.items()
                    : StatesPaths.select(spec.itemsPath() == null ? "$" : spec.itemsPath(), resolved.input(),
                    Json.NODES.objectNode());
            return items != null && (items.isArray() || items.isObject()) ? items.size() : 0;
        } catch (StatesError | RuntimeException unresolved) {
            return 0;
        }
    }

    /** A MaxItems above planner.limits.max-items-per-run is refused now rather than failing the run later. */
    private void checkItemLimit(MapRunSpec spec) {
        Long maxItems = spec.itemReader() == null ? null : spec.itemReader().readerConfig().maxItems();
        long limit = config.limits().maxItemsPerRun();
        if (maxItems != null && maxItems > limit) {
            throw new SpecException("ItemReader.ReaderConfig.MaxItems", "must be at most " + limit
                    + " (planner.limits.max-items-per-run), was " + maxItems);
        }
    }

    /**
     * Refuses a new run while planner.limits.max-open-runs runs are RUNNING, as this replica sees them (its status
     * view and the runs it accepted that have no snapshot yet): replicas accepting at the same moment may together
     * go a little past the limit, like AWS's approximate open-run count.
     */
    private void checkOpenRuns() {
        int limit = config.limits().maxOpenRuns();
        long open = statusView.all().stream().filter(s -> !s.terminal()).count()
                + accepted.values().stream().filter(s -> statusView.get(s.mapRunId()).isEmpty()).count();
        if (open >= limit) {
            throw LimitExceededException.openRuns((int) open, limit);
        }
    }

    public Optional<MapRunStatus> describe(String mapRunId) {
        Optional<MapRunStatus> snapshot = statusView.get(mapRunId);
        return snapshot.isPresent() ? snapshot : Optional.ofNullable(accepted.get(mapRunId));
    }

    public MapRunPage list(int maxResults, String nextToken) {
        return list(maxResults, nextToken, null);
    }

    /** @param status only runs with this status (RUNNING, SUCCEEDED, FAILED, ABORTED); null: all */
    public MapRunPage list(int maxResults, String nextToken, RunStatus status) {
        List<MapRunStatus> runs = new ArrayList<>(statusView.all());
        accepted.values().stream().filter(s -> statusView.get(s.mapRunId()).isEmpty()).forEach(runs::add);
        if (status != null) {
            runs.removeIf(s -> s.status() != status);
        }
        return RunPaging.page(runs, maxResults, nextToken);
    }

    /**
     * The run's current snapshot, then each new one until the run reaches a terminal status. Snapshots are
     * emitted in order of {@code updatedAt}; an older one that races with a newer is dropped.
     */
    public Multi<MapRunStatus> changes(String mapRunId) {
        MapRunStatus first = describe(mapRunId).orElseThrow(() -> new MapRunNotFoundException(mapRunId));
        return Multi.createFrom().emitter(emitter -> {
            Instant[] last = {null};
            Consumer<MapRunStatus> forward = status -> {
                synchronized (last) {
                    if (emitter.isCancelled() || last[0] != null && status.updatedAt() != null
                            && status.updatedAt().isBefore(last[0])) {
                        return;
                    }
                    last[0] = status.updatedAt();
                    emitter.emit(status);
                    if (status.terminal()) {
                        emitter.complete();
                    }
                }
            };
            Consumer<MapRunStatus> listener = status -> {
                if (status.mapRunId().equals(mapRunId)) {
                    forward.accept(status);
                }
            };
            statusView.addListener(listener);
            emitter.onTermination(() -> statusView.removeListener(listener));
            forward.accept(describe(mapRunId).orElse(first));
        });
    }

    public MapRunStatus abort(String mapRunId) {
        MapRunStatus status = describe(mapRunId).orElseThrow(() -> new MapRunNotFoundException(mapRunId));
        if (status.terminal()) {
            throw new MapRunConflictException("map run '" + mapRunId + "' has already ended with status " + status.status());
        }
        runEvents.publish(AbortRequested.of(mapRunId, clock.instant()));
        try (RunLogContext log = RunLogContext.run(mapRunId)) {
            LOG.info("abort requested");
        }
        return status;
    }
}
