package io.dmap.planner.service;

import io.dmap.common.events.RunPhase;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.ParentRef;
import io.dmap.common.events.RunConfig;
import io.dmap.common.events.RunStatus;
import io.dmap.common.spec.Arns;
import io.dmap.asl.StatesError;
import io.dmap.asl.map.MapContext;
import io.dmap.asl.map.MapRunResolver;
import io.dmap.asl.map.MapRunSpec;

import java.time.Instant;

/** What the rest of dmap learns about a run from its spec: the RunRequested config and the first snapshot. */
public final class RunConfigs {

    private RunConfigs() {
    }

    /**
     * The spec with its run-start values resolved, for the config. When a value cannot be resolved the run will fail
     * at planning (with AWS's error); until then it is described with the values of the definition and no
     * ResultWriter, since an unresolved bucket names nowhere to write.
     */
    public static MapRunSpec resolvedForConfig(MapRunSpec spec, MapContext context) {
        try {
            return MapRunResolver.resolve(spec, context);
        } catch (StatesError e) {
            return new MapRunSpec(spec.name(), spec.label(), spec.itemReader(), spec.itemsPath(), spec.input(),
                    spec.itemSelector(), spec.itemBatcher(), spec.maxConcurrency(), spec.toleratedFailureCount(),
                    spec.toleratedFailurePercentage(), spec.itemProcessor(), spec.executionType(), null, spec.raw(),
                    spec.runTime());
        }
    }

    public static RunConfig of(MapRunSpec spec) {
        return of(spec, null);
    }

    /** With the ARN the parent execution gave the run ({@code parent} null: a run posted on its own). */
    public static RunConfig of(MapRunSpec spec, ParentRef parent) {
        MapRunSpec.ResultWriterSpec w = spec.resultWriter();
        RunConfig.ResultWriterConfig writer = w == null ? null
                : new RunConfig.ResultWriterConfig(w.bucket(), w.prefix(), w.outputType(), w.transformation());
        return new RunConfig(spec.label(), spec.maxConcurrency(), spec.toleratedFailureCount(),
                spec.toleratedFailurePercentage(), writer, parent == null ? null : parent.mapRunArn());
    }

    /** A RUNNING snapshot with zero counts, served until the aggregator's first snapshot arrives. */
    public static MapRunStatus acceptedStatus(String mapRunId, MapRunSpec spec, Instant at) {
        return acceptedStatus(mapRunId, spec, at, null);
    }

    public static MapRunStatus acceptedStatus(String mapRunId, MapRunSpec spec, Instant at, ParentRef parent) {
        return new MapRunStatus(MapRunStatus.SCHEMA_VERSION, mapRunId, Arns.mapRunOf(of(spec, parent), mapRunId),
                spec.name(),
                spec.label(), RunStatus.RUNNING, RunPhase.PLANNING, false, at, null, spec.maxConcurrency(),
                spec.toleratedFailurePercentage() == null ? 0 : spec.toleratedFailurePercentage(),
                spec.toleratedFailureCount() == null ? 0 : spec.toleratedFailureCount(),
                MapRunStatus.Counts.ZERO, MapRunStatus.Counts.ZERO, null, null, null, at);
    }
}
