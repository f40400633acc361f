package io.dmap.worker.execution;

import io.opentelemetry.context.Scope;
import io.opentelemetry.context.Context;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Span;
import io.dmap.service.tracing.RunTracing;
import io.dmap.service.logging.RunLogContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ChildHandoff;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStarted;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.spec.Arns;
import io.dmap.asl.ChildRun;
import io.dmap.asl.ExecutionContext;
import io.dmap.asl.ExecutionResult;
import io.dmap.asl.StateMachine;
import io.dmap.asl.StateMachineInterpreter;
import io.dmap.common.spec.SpecException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the child execution of one batch: ExecutionStarted (only if it runs longer than {@code startedReportDelay},
 * see {@link StartReport}), the ItemProcessor, ExecutionFinished. A batch of a run that is already finished is
 * reported NOT_STARTED instead; one whose run stops while it runs is cut short and reported ABORTED.
 * <p>
 * The child runs on the calling thread up to its first top-level Wait state; it then holds no thread: a timer wakes
 * it when the Wait is over (checking meanwhile, every {@code abortCheckInterval}, that its run goes on) and it runs on
 * on a pooled thread. So a worker whose thousands of lanes all wait has a handful of threads. {@link #execute} returns
 * a {@link BatchRun}: when the child is over, and when its outcome is stored.
 */
public final class BatchExecutor {

    private static final Logger LOG = Logger.getLogger(BatchExecutor.class);
    private static final String STATE_MACHINE_ARN = "arn:dmap:states:local:000000000000:stateMachine:dmap-item-processor";

    private final StateMachineInterpreter interpreter;
    private final OutcomeSink outcomes;
    private final RunStatusLookup runs;
    private final BatchMetrics metrics;
    private final String worker;
    private final Clock clock;
    private final Duration abortCheckInterval;
    private final BatchInputs inputs;
    private final CompiledProcessors processors = new CompiledProcessors();
    private final Duration startedReportDelay;
    private RunTracing tracing = RunTracing.OFF;
    private ChildHandoffs handoffs;

    /** Wakes waiting children: one thread, short tasks only (what takes time goes to {@link #resumed}). */
    private static final ScheduledThreadPoolExecutor WAITS = DaemonThreads.timer("dmap-child-wait");
    /** How many children go on after their Wait at once unless {@link #resumedAtOnce} says otherwise. */
    public static final int DEFAULT_RESUMED_AT_ONCE = 32;

    /**
     * Where children go on after a Wait: at most {@link #resumedAtOnce} at a time, the others queue in the order their
     * Waits ended (still parked: as JSON text, not trees). Unbounded, a worker whose thousand children's Waits end
     * together unparked them all at once: hundreds of item trees and outcomes live together, and the heap grew for them.
     */
    private volatile ExecutorService resumed = resumedPool(DEFAULT_RESUMED_AT_ONCE);

    private static ExecutorService resumedPool(int max) {
        return DaemonThreads.bounded("dmap-child-resumed", max, Duration.ofSeconds(10));
    }

    /** ExecutionStarted is sent at once (a zero {@code startedReportDelay}). */
    public BatchExecutor(StateMachineInterpreter interpreter, OutcomeSink outcomes, RunStatusLookup runs,
                         BatchMetrics metrics, String worker, Clock clock, Duration abortCheckInterval,
                         BatchInputs inputs) {
        this(interpreter, outcomes, runs, metrics, worker, clock, abortCheckInterval, inputs, Duration.ZERO);
    }

    public BatchExecutor(StateMachineInterpreter interpreter, OutcomeSink outcomes, RunStatusLookup runs,
                         BatchMetrics metrics, String worker, Clock clock, Duration abortCheckInterval,
                         BatchInputs inputs, Duration startedReportDelay) {
        this.startedReportDelay = startedReportDelay;
        this.abortCheckInterval = abortCheckInterval;
        this.inputs = inputs;
        this.interpreter = interpreter;
        this.outcomes = outcomes;
        this.runs = runs;
        this.metrics = metrics;
        this.worker = worker;
        this.clock = clock;
    }

    /**
     * Starts the batch's child execution and runs it until it ends or waits.
     *
     * @return the batch: {@link BatchRun#ran()} once the child is over, {@link BatchRun#stored()} once its outcome is
     * (exceptional when it is not, or when the child was cut short because the worker stops: run it again)
     */
    public BatchRun execute(BatchMessage batch) throws InterruptedException {
        // a child of the context current on this thread: the planning span its batch record carried, if any
        Span span = tracing.childExecution(Context.current(), batch.mapRunId(), batch.batchIndex(), batch.redriveCount());
        BatchRun run;
        try (RunLogContext log = RunLogContext.batch(batch.mapRunId(), batch.batchIndex(), batch.redriveCount());
             Scope scope = span.makeCurrent()) {
            run = executeInContext(batch, span);
        } catch (InterruptedException | RuntimeException e) {
            span.end();
            throw e;
        }
        run.ran().whenComplete((ok, e) -> span.end());
        return run;
    }

    /**
     * Where children that start nested map runs go (the parent engine, over {@code executions}); without it such a
     * child fails with States.Runtime.
     */
    public BatchExecutor handoffs(ChildHandoffs handoffs) {
        this.handoffs = handoffs;
        return this;
    }

    /**
     * How many children may go on after their Wait at once ({@code worker.resumed-at-once}); set before the first
     * batch runs.
     */
    public BatchExecutor resumedAtOnce(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("worker.resumed-at-once must be at least 1, not " + max);
        }
        ExecutorService old = resumed;
        resumed = resumedPool(max);
        old.shutdown();
        return this;
    }

    /** The spans of child executions (off unless set). */
    public BatchExecutor tracing(RunTracing tracing) {
        this.tracing = tracing;
        return this;
    }

    private BatchRun executeInContext(BatchMessage batch, Span span) throws InterruptedException {
        if (runs.finished(batch.mapRunId(), batch.redriveCount())) {
            LOG.info("run already finished, not started");
            return BatchRun.ended(report(ExecutionFinished.notStarted(batch, clock.instant(), worker)));
        }
        if (batch.readerError() != null) {
            // the planner could not read this item: it is reported, never run
            Instant now = clock.instant();
            return BatchRun.ended(report(ExecutionFinished.failed(batch, ExecutionStatus.FAILED,
                    batch.readerError().error(), batch.readerError().cause(), now, now, worker)));
        }
        Instant start = clock.instant();
        if (startsMapRuns(batch)) {
            // handed off: the parent engine reports it started, when it starts it
            return run(batch, start, StartReport.NONE, span);
        }
        StartReport started = StartReport.schedule(outcomes,
                ExecutionStarted.of(batch.mapRunId(), batch.batchIndex(), batch.itemCount(), start, worker), startedReportDelay);
        try {
            return run(batch, start, started, span);
        } catch (InterruptedException | RuntimeException e) {
            started.finishing();
            throw e;
        }
    }

    private boolean startsMapRuns(BatchMessage batch) {
        try {
            return processors.get(batch).startsMapRuns();
        } catch (SpecException e) {
            return false; // run() reports it
        }
    }

    /** The child's {@code $$.Execution.Id}: the ExecutionArn of the result files and of ListExecutions. */
    static String executionArn(BatchMessage batch) {
        return batch.mapRunArn() == null ? Arns.execution(null, batch.mapRunId(), batch.batchIndex())
                : Arns.childExecution(batch.mapRunArn(), batch.mapRunId(), batch.batchIndex());
    }

    /** The child's {@code $$.StateMachine.Id}: {@code ...:stateMachine:<machine>/<label>}, as AWS names it. */
    static String stateMachineArn(BatchMessage batch) {
        return batch.mapRunArn() == null ? STATE_MACHINE_ARN
                : Arns.childStateMachine(batch.mapRunArn(), batch.mapRunId());
    }

    /** The batch's run is over (or stopping): {@link #execute} reports it not started, without its definition. */
    public boolean runFinished(BatchMessage batch) {
        return runs.finished(batch.mapRunId(), batch.redriveCount());
    }

    /** {@code started} is told when the child is over, before its outcome is sent. */
    private BatchRun run(BatchMessage batch, Instant start, StartReport started, Span span) throws InterruptedException {
        JsonNode input;
        try {
            input = input(batch);
        } catch (StatesErrorOutcome e) {
            started.finishing();
            return BatchRun.ended(report(ExecutionFinished.failed(batch, ExecutionStatus.FAILED, e.error,
                    e.getMessage(), start, clock.instant(), worker)));
        }
        ExecutionContext context = new ExecutionContext(executionArn(batch),
                Arns.executionName(batch.mapRunId(), batch.batchIndex()), stateMachineArn(batch), start,
                batch.redriveCount());
        StateMachine processor;
        try {
            processor = processors.get(batch);
        } catch (SpecException e) {
            // the planner validated it with the same compiler; only a definition from elsewhere gets here
            started.finishing();
            return BatchRun.ended(report(ExecutionFinished.failed(batch, ExecutionStatus.FAILED, "States.Runtime",
                    "Invalid state machine: " + e.getMessage(), start, clock.instant(), worker)));
        }
        if (processor.startsMapRuns()) {
            return BatchRun.ended(handOff(batch, input, context));
        }
        Child child = new Child(batch, interpreter.start(processor, input, context), start, started, span);
        child.drive();
        return child.run;
    }

    /**
     * A STANDARD child with a Distributed Map among its states waits for nested map runs, whose batches need lanes:
     * it must not hold this one. It goes to the parent engine, which runs it without a thread and publishes the
     * batch's outcome when it ends; the lane goes on once the handoff is stored. The engine also reports it started
     * (when it starts it: it keeps the outer run's MaxConcurrency), so this lane's own report is left out.
     */
    private CompletableFuture<Void> handOff(BatchMessage batch, JsonNode input, ExecutionContext context)
            throws InterruptedException {
        if (handoffs == null) {
            return report(ExecutionFinished.failed(batch, ExecutionStatus.FAILED, "States.Runtime",
                    "This worker cannot hand off a child execution that starts nested map runs", context.startTime(),
                    clock.instant(), worker));
        }
        LOG.info("the child starts nested map runs: handed off to the parent engine");
        return handoffs.handOff(new ChildHandoff(ChildHandoff.SCHEMA_VERSION, context.executionArn(),
                context.executionName(), context.stateMachineArn(), batch.mapRunId(), batch.batchIndex(),
                batch.itemCount(), batch.redriveCount(), input, batch.inputRef(), batch.processor(),
                context.startTime(), worker)).exceptionallyCompose(e -> {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                    if (!(cause instanceof ChildHandoffs.TooLarge)) {
                        return CompletableFuture.failedFuture(e); // run again later
                    }
                    try {
                        return report(ExecutionFinished.failed(batch, ExecutionStatus.FAILED, "States.DataLimitExceeded",
                                cause.getMessage(), context.startTime(), clock.instant(), worker));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return CompletableFuture.failedFuture(ie);
                    }
                });
    }

    /** Hands the outcome to the sink; counts it once it is stored. */
    private CompletableFuture<Void> report(ExecutionFinished finished) throws InterruptedException {
        Span span = Span.current();
        span.setAttribute("dmap.execution.status", finished.status().name());
        if (finished.error() != null) {
            span.setStatus(StatusCode.ERROR, finished.error());
        }
        Duration took = finished.startDate() == null || finished.stopDate() == null ? Duration.ZERO
                : Duration.between(finished.startDate(), finished.stopDate());
        return outcomes.send(finished).thenRun(() -> metrics.finished(finished.status(), finished.itemCount(), took));
    }

    /** The batch's input, read from S3 when passed by claim check (three tries: S3 may be briefly away). */
    private JsonNode input(BatchMessage batch) throws InterruptedException, StatesErrorOutcome {
        if (batch.inputRef() == null) {
            return batch.input();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return inputs.load(batch.inputRef());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (attempt == 3) {
                    LOG.errorf(e, "cannot read the input at s3://%s/%s", batch.inputRef().bucket(), batch.inputRef().key());
                    throw new StatesErrorOutcome("States.Runtime", "Cannot read the batch input at s3://"
                            + batch.inputRef().bucket() + "/" + batch.inputRef().key() + ": " + e.getMessage());
                }
                Thread.sleep(1000L * attempt);
            }
        }
    }

    /**
     * A child execution in steps: advanced on the thread that starts it, then, after each top-level Wait, on
     * {@link #resumed}; while it waits, a tick on {@link #WAITS} every {@code abortCheckInterval} checks its run.
     */
    private final class Child {
        /** A Wait at least this long parks the child: its data is held as JSON text while it waits. */
        private static final Duration PARK_AFTER = Duration.ofSeconds(1);

        /** Without its inline input once parked ({@code stripped}): the child's own input is the one copy then. */
        private volatile BatchMessage batch;
        private volatile boolean stripped;
        private final ChildRun steps;
        private final Instant start;
        private final StartReport started;
        private final Span span;
        private final BatchRun run = new BatchRun();
        /** Guarded by {@code this}: the thread advancing it now (null while it waits), a cancel, the end. */
        private Thread advancing;
        private boolean cancelled;
        private boolean over;
        private ScheduledFuture<?> tick;
        private long wakeNanos;

        Child(BatchMessage batch, ChildRun steps, Instant start, StartReport started, Span span) {
            this.batch = batch;
            this.steps = steps;
            this.start = start;
            this.started = started;
            this.span = span;
            run.cancelWith(this::cancel);
        }

        /** Advances it until it ends (reporting its outcome) or waits (scheduling its wake-up). */
        void drive() {
            synchronized (this) {
                if (over || cancelled) {
                    return; // cancel() ends it
                }
                advancing = Thread.currentThread();
            }
            ChildRun.Progress progress;
            AbortWatch watch = AbortWatch.start(this::runStopped, abortCheckInterval);
            try (RunLogContext log = logContext(); Scope scope = span.makeCurrent()) {
                progress = steps.advance();
                if (progress instanceof ChildRun.Ended ended) {
                    end(ended.result(), watch.fired());
                } else {
                    park(((ChildRun.Waiting) progress).duration());
                }
            } finally {
                watch.close();
                boolean wasCancelled;
                synchronized (this) {
                    advancing = null;
                    wasCancelled = cancelled;
                }
                if (wasCancelled) {
                    Thread.interrupted(); // meant for this child only: not for the next task of a pooled thread
                }
            }
        }

        private boolean runStopped() {
            return runs.finished(batch.mapRunId(), batch.redriveCount());
        }

        /** {@code runStopped}: the run stopped while it ran, so a child cut short is ABORTED (not run again). */
        private void end(ExecutionResult result, boolean runStopped) {
            boolean cutShort = result.status() == ExecutionResult.Status.INTERRUPTED;
            if (cutShort && !runStopped) {
                LOG.info("interrupted, left for redelivery");
                over(null);
                return;
            }
            ExecutionFinished finished;
            if (cutShort) {
                LOG.info("the run stopped while the batch ran; aborted");
                finished = ExecutionFinished.failed(withInput(), ExecutionStatus.ABORTED, null,
                        "The map run stopped while this child execution was running", start, clock.instant(), worker);
            } else {
                finished = finished(withInput(), result, start, clock.instant());
            }
            LOG.debugf("%s %s", finished.status(), result.error() == null ? "" : result.error());
            started.finishing();
            try {
                over(report(finished));
            } catch (InterruptedException e) {
                over(null);
            } catch (RuntimeException e) {
                LOG.errorf(e, "the outcome of the batch could not be sent; it runs again");
                over(CompletableFuture.failedFuture(e));
            }
        }

        /** The batch as it came (an outcome carries its inline input), whether or not it was parked. */
        private BatchMessage withInput() {
            return stripped ? batch.withInput(steps.input()) : batch;
        }

        /** In a Wait: nothing runs until {@link #tick()} finds it over (or the run stopped, or the child cancelled). */
        private void park(Duration wait) {
            if (wait.compareTo(PARK_AFTER) >= 0) {
                steps.park();
                if (batch.inputRef() == null && batch.input() != null) {
                    batch = batch.withInput(null);
                    stripped = true;
                }
            }
            synchronized (this) {
                if (!cancelled) {
                    wakeNanos = System.nanoTime() + wait.toNanos();
                    schedule(wait.toNanos());
                    return;
                }
            }
            over(null);
        }

        private void schedule(long leftNanos) {
            tick = WAITS.schedule(this::tick, Math.min(leftNanos, Math.max(1, abortCheckInterval.toNanos())),
                    TimeUnit.NANOSECONDS);
        }

        private void tick() {
            try {
                if (runStopped()) {
                    resumed.execute(this::abort);
                    return;
                }
                long left = wakeNanos - System.nanoTime();
                synchronized (this) {
                    if (cancelled || over) {
                        return;
                    }
                    if (left > 0) {
                        schedule(left);
                        return;
                    }
                }
                resumed.execute(this::drive);
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot resume the child of map run %s batch %d; it runs again",
                        batch.mapRunId(), batch.batchIndex());
                over(CompletableFuture.failedFuture(e));
            }
        }

        private void abort() {
            try (RunLogContext log = logContext(); Scope scope = span.makeCurrent()) {
                end(ExecutionResult.interrupted(), true);
            }
        }

        /** The batch's log context, on whichever thread it goes on. */
        private RunLogContext logContext() {
            return RunLogContext.batch(batch.mapRunId(), batch.batchIndex(), batch.redriveCount());
        }

        /** The worker gives it up: interrupted where it runs, or ended at once where it waits. */
        private void cancel() {
            synchronized (this) {
                if (over || cancelled) {
                    return;
                }
                cancelled = true;
                if (advancing != null) {
                    advancing.interrupt(); // drive() ends it
                    return;
                }
                if (tick != null) {
                    tick.cancel(false);
                }
            }
            LOG.infof("map run %s batch %d: the waiting child is given up; it runs again",
                    batch.mapRunId(), batch.batchIndex());
            over(null);
        }

        /** {@code outcome}: the acknowledgement of its outcome; null when it has none (it runs again). */
        private void over(CompletionStage<Void> outcome) {
            synchronized (this) {
                if (over) {
                    return;
                }
                over = true;
            }
            started.finishing();
            run.over(outcome != null ? outcome : CompletableFuture.failedFuture(
                    new InterruptedException("the child execution was cut short; it runs again")));
        }
    }

    /**
     * The ItemProcessor compiled once per run (and redrive), not once per batch: a few runs are active on a worker
     * at a time, so a small LRU bound is plenty.
     */
    static final class CompiledProcessors {
        private static final int MAX = 32;

        /** The definition a machine was compiled from: a batch with another one (never in a real run) recompiles. */
        private record Compiled(com.fasterxml.jackson.databind.JsonNode source, StateMachine machine) {
        }

        private final Map<String, Compiled> byRun = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
                return size() > MAX;
            }
        };

        synchronized StateMachine get(BatchMessage batch) {
            String key = batch.mapRunId() + "#" + batch.redriveCount();
            Compiled c = byRun.get(key);
            // the batches of a run share one definition instance (RunDefinitions): the identity check is the usual hit
            if (c == null || (c.source() != batch.processor() && !c.source().equals(batch.processor()))) {
                c = new Compiled(batch.processor(), StateMachine.compile(batch.processor(), "ItemProcessor"));
                byRun.put(key, c);
            }
            return c.machine();
        }
    }

    /** The input could not be had: the execution fails with this error. */
    private static final class StatesErrorOutcome extends Exception {
        private final String error;

        StatesErrorOutcome(String error, String cause) {
            super(cause, null, false, false);
            this.error = error;
        }
    }

    private ExecutionFinished finished(BatchMessage batch, ExecutionResult result, Instant start, Instant stop) {
        if (result.status() == ExecutionResult.Status.SUCCEEDED) {
            return ExecutionFinished.succeeded(batch, result.output(), start, stop, worker);
        }
        ExecutionStatus status = result.timedOut() ? ExecutionStatus.TIMED_OUT : ExecutionStatus.FAILED;
        return ExecutionFinished.failed(batch, status, result.error(), result.cause(), start, stop, worker);
    }
}
