package io.dmap.aggregator.tally;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.ResultsWritten;
import io.dmap.common.events.RunConfig;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunRequested;
import io.dmap.common.events.RunStatus;
import io.dmap.common.spec.FailureThreshold;

import java.time.Instant;

/**
 * Everything the aggregator knows about one map run. Immutable: every event yields a new state, and
 * {@link #settle()} then applies the rules that follow from the facts (tolerated-failure threshold,
 * all batches accounted for). {@code decidedStatus} is the fate once known (null while undecided);
 * {@code status} stays RUNNING until the result files are written; {@code stopping} turns true when the fate is
 * decided and stays true once the run is DONE (a batch redelivered after that is skipped by the workers).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunState(
        String mapRunId,
        String name,
        RunConfig config,
        Instant startDate,
        Long totalItems,
        Long totalBatches,
        Tally items,
        Tally executions,
        long finishedBatches,
        RunPhase phase,
        RunStatus status,
        RunStatus decidedStatus,
        String error,
        String cause,
        boolean stopping,
        Instant stopDate,
        long itemsWritten,
        long executionsWritten,
        String resultBucket,
        String manifestKey,
        int redriveCount,
        Instant redriveDate) {

    public static final String THRESHOLD_ERROR = "States.ExceedToleratedFailureThreshold";
    public static final String RESULT_WRITER_ERROR = "States.ResultWriterFailed";

    public static RunState empty(String mapRunId) {
        return new RunState(mapRunId, null, null, null, null, null, Tally.ZERO, Tally.ZERO, 0, RunPhase.PLANNING,
                RunStatus.RUNNING, null, null, null, false, null, 0, 0, null, null, 0, null);
    }

    /** Results can no longer change the run's fate once they are being written. */
    public boolean executing() {
        return phase.executing();
    }

    public RunState requested(RunRequested e) {
        if (config != null) {
            return this; // replayed request: the first one wins
        }
        return new RunState(mapRunId, e.name(), e.config(), e.requestedAt(), totalItems, totalBatches, items, executions,
                finishedBatches, phase, status, decidedStatus, error, cause, stopping, stopDate, itemsWritten,
                executionsWritten, resultBucket, manifestKey, redriveCount, redriveDate);
    }

    public RunState planned(long plannedItems, long plannedBatches) {
        if (totalBatches != null) {
            return this;
        }
        return new RunState(mapRunId, name, config, startDate, plannedItems, plannedBatches, items, executions,
                finishedBatches, phase == RunPhase.PLANNING ? RunPhase.RUNNING : phase, status, decidedStatus, error,
                cause, stopping, stopDate, itemsWritten, executionsWritten, resultBucket, manifestKey, redriveCount, redriveDate);
    }

    /** The reader failed: the batches already published are all there will be, and the run fails. */
    public RunState planningFailed(PlanningFailed e) {
        return planned(e.itemsPublished(), e.batchesPublished()).decide(RunStatus.FAILED, e.error(), e.cause());
    }

    public RunState abortRequested() {
        return decide(RunStatus.ABORTED, null, null);
    }

    /** AWS RedriveMapRun allows redriving a run that ended FAILED or ABORTED. */
    public boolean redrivable() {
        return config != null && phase == RunPhase.DONE && status.redrivable();
    }

    /**
     * The run is redriven: the executions counted in {@code removedItems} / {@code removedExecutions} (the failed,
     * timed-out, aborted and never-started ones, {@code batches} of them) go back to pending, and the run runs again.
     * The result location is kept; the results are written again when the redriven batches are accounted for.
     */
    public RunState redriven(Instant at, Tally removedItems, Tally removedExecutions, long batches) {
        return new RunState(mapRunId, name, config, startDate, totalItems, totalBatches, items.minus(removedItems),
                executions.minus(removedExecutions), finishedBatches - batches, RunPhase.RUNNING, RunStatus.RUNNING,
                null, null, null, false, null, 0, 0, resultBucket, manifestKey, redriveCount + 1, at);
    }

    /**
     * AWS UpdateMapRun: null values are left unchanged. The new tolerances apply at once ({@link #settle()} judges
     * them); MaxConcurrency only for batches placed from now on. Ignored once the run's results are being written.
     */
    public RunState updated(Integer toleratedFailureCount, Double toleratedFailurePercentage, Integer maxConcurrency) {
        if (config == null || !executing()) {
            return this;
        }
        RunConfig c = new RunConfig(config.label(),
                maxConcurrency != null ? maxConcurrency : config.maxConcurrency(),
                toleratedFailureCount != null ? toleratedFailureCount : config.toleratedFailureCount(),
                toleratedFailurePercentage != null ? toleratedFailurePercentage : config.toleratedFailurePercentage(),
                config.resultWriter(), config.mapRunArn());
        return new RunState(mapRunId, name, c, startDate, totalItems, totalBatches, items, executions, finishedBatches,
                phase, status, decidedStatus, error, cause, stopping, stopDate, itemsWritten, executionsWritten,
                resultBucket, manifestKey, redriveCount, redriveDate);
    }

    public RunState executionStarted(int itemCount) {
        return withCounts(items.started(itemCount), executions.started(1), finishedBatches);
    }

    /**
     * @param wasRunning   whether the execution had been reported started (and so counted as running)
     * @param runningItems the items it was counted as running with
     */
    public RunState executionFinished(ExecutionStatus s, int itemCount, boolean wasRunning, int runningItems) {
        return withCounts(items.finished(s, itemCount, wasRunning ? runningItems : 0),
                executions.finished(s, 1, wasRunning ? 1 : 0),
                finishedBatches + 1);
    }

    public RunState resultsWritten(ResultsWritten e) {
        if (phase != RunPhase.WRITING_RESULTS) {
            return this; // a rewrite after the run is done, or a stray event
        }
        boolean failed = e.error() != null;
        RunStatus finalStatus = failed ? RunStatus.FAILED : decidedStatus;
        boolean written = !failed && e.bucket() != null;
        return new RunState(mapRunId, name, config, startDate, totalItems, totalBatches, items, executions,
                finishedBatches, RunPhase.DONE, finalStatus, finalStatus, failed ? e.error() : error,
                failed ? e.cause() : cause, true, e.at(), written ? e.itemsWritten() : 0, written ? finishedBatches : 0,
                written ? e.bucket() : null, written ? e.manifestKey() : null, redriveCount, redriveDate);
    }

    /** Applies the rules that follow from the facts; idempotent. */
    public RunState settle() {
        RunState s = this;
        if (s.config != null && s.decidedStatus == null && s.executing()) {
            FailureThreshold threshold = new FailureThreshold(config.toleratedFailureCount(), config.toleratedFailurePercentage());
            if (threshold.exceeded(items.failures(), totalItems)) {
                s = s.decide(RunStatus.FAILED, THRESHOLD_ERROR, thresholdCause());
            }
        }
        if (s.config != null && s.executing() && s.totalBatches != null && s.finishedBatches >= s.totalBatches) {
            RunStatus decided = s.decidedStatus != null ? s.decidedStatus : RunStatus.SUCCEEDED;
            s = new RunState(mapRunId, name, config, startDate, totalItems, totalBatches, items, executions,
                    finishedBatches, RunPhase.WRITING_RESULTS, status, decided, s.error, s.cause, s.stopping, stopDate,
                    itemsWritten, executionsWritten, resultBucket, manifestKey, redriveCount, redriveDate);
        }
        return s;
    }

    private String thresholdCause() {
        return "The specified tolerated failure threshold was exceeded: " + items.failures() + " failed items"
                + (totalItems != null ? " of " + totalItems : "")
                + " (ToleratedFailureCount " + orZero(config.toleratedFailureCount())
                + ", ToleratedFailurePercentage " + orZero(config.toleratedFailurePercentage()) + ")";
    }

    private static Object orZero(Number n) {
        return n == null ? 0 : n;
    }

    /** Decides the run's fate unless it is already decided or its results are already being written. */
    private RunState decide(RunStatus fate, String err, String why) {
        if (decidedStatus != null || !executing()) {
            return this;
        }
        return new RunState(mapRunId, name, config, startDate, totalItems, totalBatches, items, executions,
                finishedBatches, phase, status, fate, err, why, true, stopDate, itemsWritten, executionsWritten,
                resultBucket, manifestKey, redriveCount, redriveDate);
    }

    private RunState withCounts(Tally newItems, Tally newExecutions, long finished) {
        return new RunState(mapRunId, name, config, startDate, totalItems, totalBatches, newItems, newExecutions,
                finished, phase, status, decidedStatus, error, cause, stopping, stopDate, itemsWritten,
                executionsWritten, resultBucket, manifestKey, redriveCount, redriveDate);
    }
}
