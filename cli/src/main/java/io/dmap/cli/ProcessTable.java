package io.dmap.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dmap.common.json.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code .dmap/processes.json}: what the supervisor of a running {@code ./dmap up} keeps alive, rewritten on every
 * start and exit, read by {@code ./dmap status}. Written to a temporary file and moved, so a reader never sees half.
 */
record ProcessTable(long supervisorPid, String updatedAt, List<Entry> processes) {

    static final String FILE = "processes.json";

    /** One supervised process; {@code state} is starting, running, restarting or stopped. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String name, long pid, String url, String log, String state, int restarts, Integer lastExitCode,
                 String lastExitAt, String startedAt) {
    }

    static Path file(Path home) {
        return home.resolve(FILE);
    }

    void write(Path home) throws IOException {
        Path target = file(home);
        Path tmp = target.resolveSibling(FILE + ".tmp");
        Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static ProcessTable read(Path home) throws IOException {
        return Json.MAPPER.readValue(Files.readAllBytes(file(home)), ProcessTable.class);
    }

    boolean supervisorAlive() {
        return ProcessHandle.of(supervisorPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The table `./dmap status` prints: each process, its pid, whether it lives now, its restarts and last exit. */
    void print(PrintStream out) {
        out.println(supervisorAlive()
                ? "dmap is up (supervisor pid " + supervisorPid + "; state of " + updatedAt + ")"
                : "dmap is NOT running (supervisor pid " + supervisorPid + " is gone; last state of " + updatedAt + ")");
        out.printf("%-12s %-8s %-10s %-6s %8s  %-30s %s%n", "PROCESS", "PID", "STATE", "ALIVE", "RESTARTS", "URL", "LAST EXIT");
        for (Entry e : processes) {
            boolean alive = e.pid() > 0 && ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false);
            String exit = e.lastExitCode() == null ? "-" : "code " + e.lastExitCode() + " at " + e.lastExitAt();
            out.printf("%-12s %-8d %-10s %-6s %8d  %-30s %s%n", e.name(), e.pid(), e.state(), alive ? "yes" : "no",
                    e.restarts(), e.url() == null ? "-" : e.url(), exit);
        }
    }
}
