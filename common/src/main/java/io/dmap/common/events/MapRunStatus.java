package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * A DescribeMapRun-shaped snapshot on the compacted {@code map-run-status} topic, keyed by map run id,
 * published by the aggregator on every change. The planner serves it as {@code GET /map-runs/{id}}.
 *
 * <p>{@code status} stays RUNNING until the result files are written, so a client that sees a terminal
 * status can read the manifest. {@code stopping} turns true as soon as the run's fate is decided
 * (threshold exceeded, abort, reader failure): workers then skip its remaining batches.
 * {@code status} and {@code phase} are {@link RunStatus} and {@link RunPhase}, written and read by name.
 *
 * <p>{@code redriveCount} / {@code redriveDate}: how many times the run was redriven and when last (0 / null if never).
 * A worker holding a batch whose {@code redriveCount} is higher than its latest snapshot's must not skip the batch
 * because that snapshot says {@code stopping}: the snapshot predates the redrive.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MapRunStatus(
        int v,
        String mapRunId,
        String mapRunArn,
        String name,
        String label,
        RunStatus status,
        RunPhase phase,
        boolean stopping,
        Instant startDate,
        Instant stopDate,
        int maxConcurrency,
        double toleratedFailurePercentage,
        long toleratedFailureCount,
        Counts itemCounts,
        Counts executionCounts,
        String error,
        String cause,
        ResultWriterDetails resultWriterDetails,
        Instant updatedAt,
        int redriveCount,
        Instant redriveDate) {

    public static final int SCHEMA_VERSION = 1;

    /** The fields of the first version (never redriven). */
    public MapRunStatus(int v, String mapRunId, String mapRunArn, String name, String label, RunStatus status, RunPhase phase,
                        boolean stopping, Instant startDate, Instant stopDate, int maxConcurrency,
                        double toleratedFailurePercentage, long toleratedFailureCount, Counts itemCounts,
                        Counts executionCounts, String error, String cause, ResultWriterDetails resultWriterDetails,
                        Instant updatedAt) {
        this(v, mapRunId, mapRunArn, name, label, status, phase, stopping, startDate, stopDate, maxConcurrency,
                toleratedFailurePercentage, toleratedFailureCount, itemCounts, executionCounts, error, cause,
                resultWriterDetails, updatedAt, 0, null);
    }

    /** Only a RUNNING snapshot is live; an absent status counts as ended, as it always has. */
    public boolean terminal() {
        return status == null || status.terminal();
    }

    /** Counts as DescribeMapRun reports them (items or child executions). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Counts(long pending, long running, long succeeded, long failed, long timedOut, long aborted,
                         long total, long resultsWritten) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResultWriterDetails(String bucket, String key) {
    }
}
