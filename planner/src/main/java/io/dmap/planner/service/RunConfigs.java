package io.dmap.planner.service;

import io.dmap.common.events.RunPhase;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.RunConfig;
import io.dmap.common.spec.Arns;
import io.dmap.asl.map.MapRunSpec;

import java.time.Instant;

/** What the rest of dmap learns about a run from its spec: the RunRequested config and the first snapshot. */
public final class RunConfigs {

    private RunConfigs() {
    }

    public static RunConfig of(MapRunSpec spec) {
        MapRunSpec.ResultWriterSpec w = spec.resultWriter();
        RunConfig.ResultWriterConfig writer = w == null ? null
                : new RunConfig.ResultWriterConfig(w.bucket(), w.prefix(), w.outputType(), w.transformation());
        return new RunConfig(spec.label(), spec.maxConcurrency(), spec.toleratedFailureCount(),
                spec.toleratedFailurePercentage(), writer);
    }

    /** A RUNNING snapshot with zero counts, served until the aggregator's first snapshot arrives. */
    public static MapRunStatus acceptedStatus(String mapRunId, MapRunSpec spec, Instant at) {
        return new MapRunStatus(MapRunStatus.SCHEMA_VERSION, mapRunId, Arns.mapRun(spec.label(), mapRunId), spec.name(),
                spec.label(), MapRunStatus.RUNNING, RunPhase.PLANNING.name(), false, at, null, spec.maxConcurrency(),
                spec.toleratedFailurePercentage() == null ? 0 : spec.toleratedFailurePercentage(),
                spec.toleratedFailureCount() == null ? 0 : spec.toleratedFailureCount(),
                MapRunStatus.Counts.ZERO, MapRunStatus.Counts.ZERO, null, null, null, at);
    }
}
