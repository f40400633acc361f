package io.dmap.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The supervisor of `./dmap up`: the processes it keeps alive ({@link Supervised}), a line in
 * {@code <home>/logs/supervisor.log} (and on the console) for every exit and restart, and the state file
 * {@code <home>/processes.json} that {@code ./dmap status} prints.
 */
final class Supervisor {

    private final Path home;
    private final PrintStream out;
    private final List<Supervised> processes = Collections.synchronizedList(new ArrayList<>());

    Supervisor(Path home, PrintStream out) {
        this.home = home;
        this.out = out;
    }

    /** Starts a process, waits until it is ready, and from then on restarts it whenever it exits. */
    Supervised start(String name, String url, Supervised.Launch launch, Supervised.Ready ready)
            throws IOException, InterruptedException {
        Supervised s = new Supervised(name, url, launch, ready, this);
        processes.add(s);
        try {
            s.start();
        } catch (IOException | InterruptedException e) {
            processes.remove(s);
            s.stop(Duration.ofSeconds(5));
            throw e;
        }
        return s;
    }

    /** Stops one process for good and forgets it. */
    void stop(Supervised s, Duration grace) throws InterruptedException {
        s.stop(grace);
        processes.remove(s);
        changed(s);
    }

    List<Supervised> processes() {
        synchronized (processes) {
            return List.copyOf(processes);
        }
    }

    void exited(Supervised s, int code, Duration backoff) {
        log(s.name() + " (pid " + s.process().pid() + ") exited with code " + code + describe(code)
                + "; restarting in " + backoff.toSeconds() + " s (log " + s.process().log() + ")");
        changed(s);
    }

    void restarted(Supervised s) {
        log(s.name() + " restarted (pid " + s.process().pid() + ", restart #" + s.entry().restarts() + ")");
    }

    void failedStart(Supervised s, IOException e) {
        log(s.name() + " restart failed: " + e.getMessage());
        changed(s);
    }

    private static String describe(int code) {
        return switch (code) {
            case 137 -> " (SIGKILL)";
            case 143 -> " (SIGTERM)";
            case 134 -> " (SIGABRT)";
            default -> "";
        };
    }

    private synchronized void log(String line) {
        String stamped = Instant.now() + " " + line;
        out.println("  [supervisor] " + line);
        try {
            Files.createDirectories(home.resolve("logs"));
            Files.writeString(home.resolve("logs/supervisor.log"), stamped + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            out.println("  [supervisor] cannot write logs/supervisor.log: " + e.getMessage());
        }
    }

    /** Rewrites the state file; a failure to write it is reported and does not stop supervision. */
    synchronized void changed(Supervised ignored) {
        List<ProcessTable.Entry> entries = new ArrayList<>();
        for (Supervised p : processes()) {
            entries.add(p.entry());
        }
        try {
            new ProcessTable(ProcessHandle.current().pid(), Instant.now().toString(), entries).write(home);
        } catch (IOException e) {
            out.println("  [supervisor] cannot write " + ProcessTable.file(home) + ": " + e.getMessage());
        }
    }
}
