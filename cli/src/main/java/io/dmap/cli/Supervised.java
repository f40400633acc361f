package io.dmap.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * One child process kept alive: when it exits (crash, SIGKILL, OOM) it is started again with the same command,
 * port and data folder after a backoff that doubles from 1 s up to 30 s, and falls back to 1 s once a start has
 * been ready for a minute. Every exit and start is reported to the {@link Supervisor}, which logs it and writes the state file.
 */
final class Supervised {

    /** Starts the process (not yet ready). */
    interface Launch {
        ServiceProcess start() throws IOException;
    }

    /** Returns once the started process serves (port open, /q/health/ready 200), or throws. */
    interface Ready {
        void await(ServiceProcess process) throws IOException, InterruptedException;
    }

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A start that lived this long was healthy: the next crash is restarted after the first backoff again. */
    static final Duration HEALTHY = Duration.ofMinutes(1);

    private final String name;
    private final String url;
    private final Launch launch;
    private final Ready ready;
    private final Supervisor supervisor;
    private volatile ServiceProcess current;
    private volatile boolean stopping;
    private volatile String state = "starting";
    private volatile int restarts;
    private volatile Integer lastExitCode;
    private volatile Instant lastExitAt;
    private volatile Instant startedAt;
    private volatile Instant readyAt; // null while the current start is not ready
    private Thread watcher;

    Supervised(String name, String url, Launch launch, Ready ready, Supervisor supervisor) {
        this.name = name;
        this.url = url;
        this.launch = launch;
        this.ready = ready;
        this.supervisor = supervisor;
    }

    /** The first start: waits until ready and throws if it is not (then nothing is supervised). */
    ServiceProcess start() throws IOException, InterruptedException {
        launchAndAwait();
        watcher = new Thread(this::watch, "dmap-supervise-" + name);
        watcher.setDaemon(true);
        watcher.start();
        return current;
    }

    private void launchAndAwait() throws IOException, InterruptedException {
        state = "starting";
        readyAt = null;
        current = launch.start();
        startedAt = Instant.now();
        if (stopping) { // stop() ran while this start was under way
            current.stop(Duration.ofSeconds(10));
            return;
        }
        supervisor.changed(this);
        ready.await(current);
        readyAt = Instant.now();
        state = "running";
        supervisor.changed(this);
    }

    private void watch() {
        Duration backoff = FIRST_BACKOFF;
        try {
            while (!stopping) {
                int code = current.waitFor();
                if (stopping) {
                    return;
                }
                lastExitCode = code;
                lastExitAt = Instant.now();
                // only a start that became ready and then served a while resets the backoff: a start killed for never
                // getting ready (a broker still recovering) must not be retried every minute at the first backoff
                if (readyAt != null && Duration.between(readyAt, lastExitAt).compareTo(HEALTHY) >= 0) {
                    backoff = FIRST_BACKOFF;
                }
                state = "restarting";
                supervisor.exited(this, code, backoff);
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                if (stopping) {
                    return;
                }
                restarts++;
                try {
                    launchAndAwait();
                    supervisor.restarted(this);
                } catch (IOException e) {
                    // not ready (or exited again at once): the loop sees the exit, or kills a stuck start and retries
                    supervisor.failedStart(this, e);
                    if (current != null && current.isAlive()) {
                        current.kill();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops for good (SIGTERM, SIGKILL after the grace period): no restart follows. */
    void stop(Duration grace) throws InterruptedException {
        stopping = true;
        state = "stopped";
        if (watcher != null) {
            watcher.interrupt();
        }
        ServiceProcess p = current;
        if (p != null) {
            p.stop(grace);
        }
        supervisor.changed(this);
    }

    String name() {
        return name;
    }

    String url() {
        return url;
    }

    ServiceProcess process() {
        return current;
    }

    ProcessTable.Entry entry() {
        ServiceProcess p = current;
        return new ProcessTable.Entry(name, p == null ? 0 : p.pid(), url, p == null ? null : p.log().toString(), state,
                restarts, lastExitCode, lastExitAt == null ? null : lastExitAt.toString(),
                startedAt == null ? null : startedAt.toString());
    }
}
