package io.dmap.planner.service;

import io.dmap.service.logging.RunLogContext;
import io.dmap.common.events.RunPhase;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.RedriveRequested;
import io.dmap.common.events.RunUpdated;
import io.dmap.common.json.Json;
import io.dmap.planner.messaging.RunEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Iterator;
import java.util.Set;

/**
 * The operator commands on an existing run, AWS RedriveMapRun and UpdateMapRun: checked against the run's latest
 * status snapshot here, published as run events, and applied by the aggregator (which checks again: it is the one
 * that knows the state for sure).
 */
@ApplicationScoped
public class MapRunCommands {

    private static final Logger LOG = Logger.getLogger(MapRunCommands.class);

    static final String TOLERATED_COUNT = "toleratedFailureCount";
    static final String TOLERATED_PERCENTAGE = "toleratedFailurePercentage";
    static final String MAX_CONCURRENCY = "maxConcurrency";
    private static final Set<String> UPDATABLE = Set.of(TOLERATED_COUNT, TOLERATED_PERCENTAGE, MAX_CONCURRENCY);

    private final MapRunService runs;
    private final RunEventPublisher runEvents;
    private final Clock clock = Clock.systemUTC();

    public MapRunCommands(MapRunService runs, RunEventPublisher runEvents) {
        this.runs = runs;
        this.runEvents = runEvents;
    }

    /**
     * Redrives a run that ended FAILED or ABORTED: its failed, timed-out, aborted and never-started executions run
     * again. @return the snapshot the request was judged on
     */
    public MapRunStatus redrive(String mapRunId) {
        MapRunStatus status = runs.describe(mapRunId).orElseThrow(() -> new MapRunNotFoundException(mapRunId));
        boolean done = status.phase() == RunPhase.DONE;
        if (!done || status.status() == null || !status.status().redrivable()) {
            throw new MapRunConflictException("map run '" + mapRunId + "' cannot be redriven: only a run that ended "
                    + "FAILED or ABORTED can be, its status is " + status.status() + " (phase " + status.phase() + ")");
        }
        runEvents.publish(RedriveRequested.of(mapRunId, clock.instant()));
        try (RunLogContext log = RunLogContext.run(mapRunId)) {
            LOG.infof("redrive requested (redrive %d)", status.redriveCount() + 1);
        }
        return status;
    }

    /** A PATCH body: any of the three fields; a field left out is unchanged. */
    public record Update(Integer toleratedFailureCount, Double toleratedFailurePercentage, Integer maxConcurrency) {
    }

    /**
     * Changes a running run's tolerances (applied at once) and MaxConcurrency (for batches placed from now on).
     * @param body the JSON body as sent
     */
    public MapRunStatus update(String mapRunId, String body) {
        Update update = parse(body);
        MapRunStatus status = runs.describe(mapRunId).orElseThrow(() -> new MapRunNotFoundException(mapRunId));
        if (status.terminal() || status.phase() == RunPhase.WRITING_RESULTS || status.phase() == RunPhase.DONE) {
            throw new MapRunConflictException("map run '" + mapRunId + "' can no longer be updated: status "
                    + status.status() + ", phase " + status.phase());
        }
        runEvents.publish(RunUpdated.of(mapRunId, update.toleratedFailureCount(), update.toleratedFailurePercentage(),
                update.maxConcurrency(), clock.instant()));
        try (RunLogContext log = RunLogContext.run(mapRunId)) {
            LOG.infof("update requested %s", update);
        }
        return status;
    }

    static Update parse(String body) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : Json.parse(body);
        } catch (RuntimeException e) {
            throw new InvalidParameterException("body", "must be a JSON object: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new InvalidParameterException("body", "must be a JSON object with " + TOLERATED_COUNT + ", "
                    + TOLERATED_PERCENTAGE + " and/or " + MAX_CONCURRENCY);
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!UPDATABLE.contains(name)) {
                throw new InvalidParameterException(name, "is not an updatable field (" + TOLERATED_COUNT + ", "
                        + TOLERATED_PERCENTAGE + ", " + MAX_CONCURRENCY + ")");
            }
        }
        Update update = new Update(integer(json, TOLERATED_COUNT, Integer.MAX_VALUE),
                percentage(json), integer(json, MAX_CONCURRENCY, 10_000));
        if (update.toleratedFailureCount() == null && update.toleratedFailurePercentage() == null
                && update.maxConcurrency() == null) {
            throw new InvalidParameterException("body", "names none of " + TOLERATED_COUNT + ", "
                    + TOLERATED_PERCENTAGE + ", " + MAX_CONCURRENCY);
        }
        return update;
    }

    private static Integer integer(JsonNode json, String field, int max) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > max) {
            throw new InvalidParameterException(field, "must be an integer from 0 to " + max + ", was " + v);
        }
        return (int) v.asLong();
    }

    private static Double percentage(JsonNode json) {
        JsonNode v = json.get(TOLERATED_PERCENTAGE);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 100) {
            throw new InvalidParameterException(TOLERATED_PERCENTAGE, "must be a number from 0 to 100, was " + v);
        }
        return v.asDouble();
    }
}
