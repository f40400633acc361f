package io.dmap.common.events;

/** A map run's status as DescribeMapRun reports it ({@link MapRunStatus#status()} on the wire, by name). */
public enum RunStatus {
    RUNNING(false, false),
    SUCCEEDED(true, true),
    FAILED(true, false),
    ABORTED(true, false);

    private final boolean terminal;
    private final boolean successful;

    RunStatus(boolean terminal, boolean successful) {
        this.terminal = terminal;
        this.successful = successful;
    }

    /** The run is over and its result files are written (dmap: "terminal means complete"). */
    public boolean terminal() {
        return terminal;
    }

    public boolean successful() {
        return successful;
    }

    /** AWS RedriveMapRun accepts a run that ended FAILED or ABORTED. */
    public boolean redrivable() {
        return this == FAILED || this == ABORTED;
    }
}
