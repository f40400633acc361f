package io.dmap.aggregator.tally;

import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.RunConfig;
import io.dmap.common.spec.Arns;

import java.time.Instant;

/** Turns a {@link RunState} into the DescribeMapRun-shaped snapshot published on map-run-status. */
public final class StatusSnapshot {

    private StatusSnapshot() {
    }

    public static MapRunStatus of(RunState s, Instant updatedAt) {
        RunConfig c = s.config();
        String label = c == null ? null : c.label();
        RunState.Written written = s.written();
        MapRunStatus.ResultWriterDetails details = written.bucket() == null ? null
                : new MapRunStatus.ResultWriterDetails(written.bucket(), written.manifestKey());
        return new MapRunStatus(
                MapRunStatus.SCHEMA_VERSION,
                s.mapRunId(),
                Arns.mapRunOf(c, s.mapRunId()),
                s.name(),
                label,
                s.status(),
                s.phase(),
                s.stopping(),
                s.startDate(),
                s.fate().stopDate(),
                c == null ? 0 : c.maxConcurrency(),
                c == null || c.toleratedFailurePercentage() == null ? 0 : c.toleratedFailurePercentage(),
                c == null || c.toleratedFailureCount() == null ? 0 : c.toleratedFailureCount(),
                s.progress().items().counts(s.totals().items(), written.items()),
                s.progress().executions().counts(s.totals().batches(), written.executions()),
                s.fate().error(),
                s.fate().cause(),
                details,
                updatedAt,
                s.redriveCount(),
                s.redrives().lastDate());
    }
}
