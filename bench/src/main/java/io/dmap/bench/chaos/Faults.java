package io.dmap.bench.chaos;

import io.dmap.cli.ServiceProcess;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** SIGKILL, SIGSTOP and SIGCONT of a child process by pid (kill(1): ProcessHandle only has TERM and KILL). */
final class Faults {

    private Faults() {
    }

    static void kill(ServiceProcess p) throws InterruptedException {
        p.kill();
    }

    static void stop(long pid) throws IOException, InterruptedException {
        signal("-STOP", pid);
    }

    static void resume(long pid) throws IOException, InterruptedException {
        signal("-CONT", pid);
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + pid + " failed");
        }
    }
}
