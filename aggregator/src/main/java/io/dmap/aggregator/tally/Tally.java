package io.dmap.aggregator.tally;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.MapRunStatus;

/**
 * Running totals of one unit (items or child executions) by state. {@code notStarted} counts those the
 * workers reported as never started; they are pending in DescribeMapRun terms and go to PENDING files.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Tally(long running, long succeeded, long failed, long timedOut, long aborted, long notStarted) {

    public static final Tally ZERO = new Tally(0, 0, 0, 0, 0, 0);

    public Tally started(long n) {
        return new Tally(running + n, succeeded, failed, timedOut, aborted, notStarted);
    }

    /** {@code n} finished with {@code status}; {@code wasRunning} of them had been counted as running. */
    public Tally finished(ExecutionStatus status, long n, long wasRunning) {
        long r = running - wasRunning;
        return switch (status) {
            case SUCCEEDED -> new Tally(r, succeeded + n, failed, timedOut, aborted, notStarted);
            case FAILED -> new Tally(r, succeeded, failed + n, timedOut, aborted, notStarted);
            case TIMED_OUT -> new Tally(r, succeeded, failed, timedOut + n, aborted, notStarted);
            case ABORTED -> new Tally(r, succeeded, failed, timedOut, aborted + n, notStarted);
            case NOT_STARTED -> new Tally(r, succeeded, failed, timedOut, aborted, notStarted + n);
        };
    }

    /** Component-wise difference: {@code other} are units taken back (a redrive makes them pending again). */
    public Tally minus(Tally other) {
        return new Tally(running - other.running, succeeded - other.succeeded, failed - other.failed,
                timedOut - other.timedOut, aborted - other.aborted, notStarted - other.notStarted);
    }

    /** What the tolerated-failure threshold counts, like AWS: failed and timed-out. */
    public long failures() {
        return failed + timedOut;
    }

    public long seen() {
        return running + succeeded + failed + timedOut + aborted + notStarted;
    }

    /** DescribeMapRun counts; {@code total} null while planning (then pending = reported as not started). */
    public MapRunStatus.Counts counts(Long total, long resultsWritten) {
        long started = running + succeeded + failed + timedOut + aborted;
        long t = total != null ? total : seen();
        long pending = total != null ? Math.max(0, total - started) : notStarted;
        return new MapRunStatus.Counts(pending, running, succeeded, failed, timedOut, aborted, t, resultsWritten);
    }
}
