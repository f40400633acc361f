package io.dmap.aggregator.tally;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonValue;
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
 * Everything the aggregator knows about one map run, in five small parts that change apart: the {@link Totals} once
 * planned, the {@link Progress} of its executions, its {@link Fate}, what the result writer last {@link Written wrote}
 * and its {@link Redrives}. Immutable: every event yields a new state, and {@link #settle()} then applies the rules
 * that follow from the facts (tolerated-failure threshold, all batches accounted for).
 *
 * <p>Stored (the {@code runs} store and its changelog) as one flat JSON object, the same fields and names as before it
 * was split, so a store written by an earlier version reads back unchanged ({@link Stored}).
 */
public record RunState(String mapRunId, String name, RunConfig config, Instant startDate, Totals totals,
                       Progress progress, Fate fate, Written written, Redrives redrives) {

    public static final String THRESHOLD_ERROR = "States.ExceedToleratedFailureThreshold";
    public static final String RESULT_WRITER_ERROR = "States.ResultWriterFailed";

    /** How many items and batches the run has; both null until the planner says (RunPlanned or PlanningFailed). */
    public record Totals(Long items, Long batches) {
        static final Totals UNKNOWN = new Totals(null, null);

        boolean known() {
            return batches != null;
        }
    }

    /** Items and executions by state, and how many batches have a terminal outcome. */
    public record Progress(Tally items, Tally executions, long finishedBatches) {
        static final Progress NONE = new Progress(Tally.ZERO, Tally.ZERO, 0);
    }

    /**
     * Where the run is in its life and how it ends. {@code decidedStatus} is the fate once known (null while
     * undecided); {@code status} stays RUNNING until the result files are written; {@code stopping} turns true when
     * the fate is decided and stays true once the run is DONE (a batch redelivered after that is skipped by the
     * workers).
     */
    public record Fate(RunPhase phase, RunStatus status, RunStatus decidedStatus, String error, String cause,
                       boolean stopping, Instant stopDate) {
        static final Fate PLANNING = new Fate(RunPhase.PLANNING, RunStatus.RUNNING, null, null, null, false, null);

        Fate inPhase(RunPhase p) {
            return new Fate(p, status, decidedStatus, error, cause, stopping, stopDate);
        }

        /** The fate is known: the run stops starting executions. */
        Fate decided(RunStatus fate, String err, String why) {
            return new Fate(phase, status, fate, err, why, true, stopDate);
        }
    }

    /** The result files last written: how many items and executions, and where the manifest is. */
    public record Written(long items, long executions, String bucket, String manifestKey) {
        static final Written NONE = new Written(0, 0, null, null);
    }

    /** How often the run was redriven, and when last (null if never). */
    public record Redrives(int count, Instant lastDate) {
        static final Redrives NONE = new Redrives(0, null);
    }

    public static RunState empty(String mapRunId) {
        return new RunState(mapRunId, null, null, null, Totals.UNKNOWN, Progress.NONE, Fate.PLANNING, Written.NONE,
                Redrives.NONE);
    }

    public RunPhase phase() {
        return fate.phase();
    }

    public RunStatus status() {
        return fate.status();
    }

    public boolean stopping() {
        return fate.stopping();
    }

    public int redriveCount() {
        return redrives.count();
    }

    /** Results can no longer change the run's fate once they are being written. */
    public boolean executing() {
        return fate.phase().executing();
    }

    public RunState requested(RunRequested e) {
        if (config != null) {
            return this; // replayed request: the first one wins
        }
        return new RunState(mapRunId, e.name(), e.config(), e.requestedAt(), totals, progress, fate, written, redrives);
    }

    public RunState planned(long plannedItems, long plannedBatches) {
        if (totals.known()) {
            return this;
        }
        return with(new Totals(plannedItems, plannedBatches),
                fate.phase() == RunPhase.PLANNING ? fate.inPhase(RunPhase.RUNNING) : fate);
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
        return config != null && fate.phase() == RunPhase.DONE && fate.status().redrivable();
    }

    /**
     * The run is redriven: the executions counted in {@code removedItems} / {@code removedExecutions} (the failed,
     * timed-out, aborted and never-started ones, {@code batches} of them) go back to pending, and the run runs again.
     * The result location is kept; the results are written again when the redriven batches are accounted for.
     */
    public RunState redriven(Instant at, Tally removedItems, Tally removedExecutions, long batches) {
        Progress back = new Progress(progress.items().minus(removedItems),
                progress.executions().minus(removedExecutions), progress.finishedBatches() - batches);
        Fate again = new Fate(RunPhase.RUNNING, RunStatus.RUNNING, null, null, null, false, null);
        return new RunState(mapRunId, name, config, startDate, totals, back, again,
                new Written(0, 0, written.bucket(), written.manifestKey()), new Redrives(redrives.count() + 1, at));
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
        return new RunState(mapRunId, name, c, startDate, totals, progress, fate, written, redrives);
    }

    public RunState executionStarted(int itemCount) {
        return with(new Progress(progress.items().started(itemCount), progress.executions().started(1),
                progress.finishedBatches()));
    }

    /**
     * @param wasRunning   whether the execution had been reported started (and so counted as running)
     * @param runningItems the items it was counted as running with
     */
    public RunState executionFinished(ExecutionStatus s, int itemCount, boolean wasRunning, int runningItems) {
        return with(new Progress(progress.items().finished(s, itemCount, wasRunning ? runningItems : 0),
                progress.executions().finished(s, 1, wasRunning ? 1 : 0), progress.finishedBatches() + 1));
    }

    public RunState resultsWritten(ResultsWritten e) {
        if (fate.phase() != RunPhase.WRITING_RESULTS) {
            return this; // a rewrite after the run is done, or a stray event
        }
        boolean failed = e.error() != null;
        RunStatus finalStatus = failed ? RunStatus.FAILED : fate.decidedStatus();
        boolean ok = !failed && e.bucket() != null;
        Fate done = new Fate(RunPhase.DONE, finalStatus, finalStatus, failed ? e.error() : fate.error(),
                failed ? e.cause() : fate.cause(), true, e.at());
        Written files = ok ? new Written(e.itemsWritten(), progress.finishedBatches(), e.bucket(), e.manifestKey())
                : Written.NONE;
        return new RunState(mapRunId, name, config, startDate, totals, progress, done, files, redrives);
    }

    /** Applies the rules that follow from the facts; idempotent. */
    public RunState settle() {
        RunState s = this;
        if (config != null && fate.decidedStatus() == null && executing()) {
            FailureThreshold threshold = new FailureThreshold(config.toleratedFailureCount(), config.toleratedFailurePercentage());
            if (threshold.exceeded(progress.items().failures(), totals.items())) {
                s = s.decide(RunStatus.FAILED, THRESHOLD_ERROR, thresholdCause());
            }
        }
        if (config != null && s.executing() && totals.known() && progress.finishedBatches() >= totals.batches()) {
            RunStatus decided = s.fate.decidedStatus() != null ? s.fate.decidedStatus() : RunStatus.SUCCEEDED;
            Fate f = s.fate;
            s = s.with(new Fate(RunPhase.WRITING_RESULTS, f.status(), decided, f.error(), f.cause(), f.stopping(),
                    f.stopDate()));
        }
        return s;
    }

    private String thresholdCause() {
        return "The specified tolerated failure threshold was exceeded: " + progress.items().failures() + " failed items"
                + (totals.items() != null ? " of " + totals.items() : "")
                + " (ToleratedFailureCount " + orZero(config.toleratedFailureCount())
                + ", ToleratedFailurePercentage " + orZero(config.toleratedFailurePercentage()) + ")";
    }

    private static Object orZero(Number n) {
        return n == null ? 0 : n;
    }

    /** Decides the run's fate unless it is already decided or its results are already being written. */
    private RunState decide(RunStatus fateNow, String err, String why) {
        if (fate.decidedStatus() != null || !executing()) {
            return this;
        }
        return with(fate.decided(fateNow, err, why));
    }

    private RunState with(Progress p) {
        return new RunState(mapRunId, name, config, startDate, totals, p, fate, written, redrives);
    }

    private RunState with(Fate f) {
        return new RunState(mapRunId, name, config, startDate, totals, progress, f, written, redrives);
    }

    private RunState with(Totals t, Fate f) {
        return new RunState(mapRunId, name, config, startDate, t, progress, f, written, redrives);
    }

    @JsonValue
    Stored stored() {
        return new Stored(mapRunId, name, config, startDate, totals.items(), totals.batches(), progress.items(),
                progress.executions(), progress.finishedBatches(), fate.phase(), fate.status(), fate.decidedStatus(),
                fate.error(), fate.cause(), fate.stopping(), fate.stopDate(), written.items(), written.executions(),
                written.bucket(), written.manifestKey(), redrives.count(), redrives.lastDate());
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static RunState of(Stored s) {
        return new RunState(s.mapRunId, s.name, s.config, s.startDate, new Totals(s.totalItems, s.totalBatches),
                new Progress(orZero(s.items), orZero(s.executions), s.finishedBatches),
                new Fate(s.phase != null ? s.phase : RunPhase.PLANNING, s.status != null ? s.status : RunStatus.RUNNING,
                        s.decidedStatus, s.error, s.cause, s.stopping, s.stopDate),
                new Written(s.itemsWritten, s.executionsWritten, s.resultBucket, s.manifestKey),
                new Redrives(s.redriveCount, s.redriveDate));
    }

    private static Tally orZero(Tally t) {
        return t == null ? Tally.ZERO : t;
    }

    /** The stored form: one flat object, as the {@code runs} store has always held it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Stored(String mapRunId, String name, RunConfig config, Instant startDate, Long totalItems,
                  Long totalBatches, Tally items, Tally executions, long finishedBatches, RunPhase phase,
                  RunStatus status, RunStatus decidedStatus, String error, String cause, boolean stopping,
                  Instant stopDate, long itemsWritten, long executionsWritten, String resultBucket,
                  String manifestKey, int redriveCount, Instant redriveDate) {
    }
}
