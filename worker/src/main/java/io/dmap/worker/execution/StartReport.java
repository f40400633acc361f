package io.dmap.worker.execution;

import io.dmap.common.events.ExecutionStarted;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Sends a batch's {@link ExecutionStarted} only if its child execution is still running after
 * {@code worker.started-report-delay}: the aggregator needs it only to count the execution as running, and an
 * ExecutionFinished without it counts the same, so a child that ends quickly costs one outcome, not two.
 * A zero delay sends it at once. Started, when sent, always precedes Finished on the topic:
 * {@link #finishing()} and the timer take the same lock around the send.
 */
final class StartReport {

    private static final Logger LOG = Logger.getLogger(StartReport.class);
    private static final ScheduledThreadPoolExecutor TIMER = DaemonThreads.timer("dmap-start-report");

    /** For a child that reports no start of its own (one handed off): nothing to send, nothing to stop. */
    static final StartReport NONE = new StartReport(null, null);

    private final OutcomeSink sink;
    private final ExecutionStarted started;
    private boolean done;
    private ScheduledFuture<?> timer;

    private StartReport(OutcomeSink sink, ExecutionStarted started) {
        this.sink = sink;
        this.started = started;
    }

    static StartReport schedule(OutcomeSink sink, ExecutionStarted started, Duration delay) throws InterruptedException {
        StartReport report = new StartReport(sink, started);
        if (delay.isZero() || delay.isNegative()) {
            report.send();
        } else {
            report.timer = TIMER.schedule(report::sendIfRunning, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return report;
    }

    private synchronized void sendIfRunning() {
        if (!done) {
            try {
                send();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void send() throws InterruptedException {
        done = true;
        try {
            sink.send(started).whenComplete((ok, e) -> {
                if (e != null) {
                    // not needed for exactness: the ExecutionFinished counts the execution the same way
                    LOG.warnf(e, "map run %s batch %d: ExecutionStarted not stored", started.mapRunId(), started.batchIndex());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "map run %s batch %d: ExecutionStarted not sent", started.mapRunId(), started.batchIndex());
        }
    }

    /** The execution ended: Started is no longer sent (or was sent before this returns). */
    synchronized void finishing() {
        done = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
