package io.dmap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A supervised child process killed with SIGKILL is started again, logged, and counted in the state file. */
class SupervisorTest {

    @TempDir
    Path home;

    private Supervised.Launch sleeper() {
        return () -> ServiceProcess.start("sleeper", List.of("-Xmx32m"), Map.of(),
                List.of("-cp", System.getProperty("java.class.path"), Sleeper.class.getName()), home.resolve("logs/sleeper.log"));
    }

    @Test
    void aKilledProcessIsRestartedLoggedAndCounted() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Supervisor supervisor = new Supervisor(home, new PrintStream(console, true));
        Supervised s = supervisor.start("sleeper", "http://127.0.0.1:1", sleeper(), p -> { });
        long first = s.process().pid();
        assertEquals(0, ProcessTable.read(home).processes().get(0).restarts());

        s.process().kill();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(s.entry().restarts() == 1 && "running".equals(s.entry().state())) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long second = s.process().pid();
        assertNotEquals(first, second);
        assertTrue(s.process().isAlive());

        ProcessTable table = ProcessTable.read(home);
        ProcessTable.Entry e = table.processes().get(0);
        assertEquals("sleeper", e.name());
        assertEquals(second, e.pid());
        assertEquals(1, e.restarts());
        assertEquals(137, e.lastExitCode());
        assertEquals("running", e.state());
        assertTrue(table.supervisorAlive());
        String log = Files.readString(home.resolve("logs/supervisor.log"));
        assertTrue(log.contains("sleeper (pid " + first + ") exited with code 137 (SIGKILL); restarting in 1 s"), log);
        assertTrue(log.contains("sleeper restarted (pid " + second + ", restart #1)"), log);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        table.print(new PrintStream(printed, true));
        assertTrue(printed.toString().matches("(?s).*sleeper\\s+" + second + "\\s+running\\s+yes\\s+1 .*code 137.*"), printed::toString);

        supervisor.stop(s, Duration.ofSeconds(5));
        Thread.sleep(1500); // longer than the first backoff: a stopped process must stay stopped
        assertFalse(s.process().isAlive());
        assertEquals(1, s.entry().restarts());
        assertTrue(ProcessTable.read(home).processes().isEmpty());
    }

    @Test
    void aStartThatIsNeverReadyFailsAndLeavesNothingRunning() throws Exception {
        Supervisor supervisor = new Supervisor(home, new PrintStream(new ByteArrayOutputStream(), true));
        ServiceProcess[] started = new ServiceProcess[1];
        try {
            supervisor.start("sleeper", null, () -> started[0] = sleeper().start(), p -> {
                throw new java.io.IOException("not ready");
            });
            throw new AssertionError("start should have failed");
        } catch (java.io.IOException expected) {
            assertEquals("not ready", expected.getMessage());
        }
        started[0].waitFor();
        assertFalse(started[0].isAlive());
        assertTrue(supervisor.processes().isEmpty());
    }
}
