package io.dmap.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    @Test
    void everyCommandPrintsItsUsageOnHelp() throws Exception {
        for (String command : List.of("up", "demo", "run", "status", "ls", "abort", "redrive", "results")) {
            for (String flag : List.of("--help", "-h")) {
                String printed = stdout(() -> assertEquals(0, Main.run(new String[]{command, flag})));
                assertTrue(printed.startsWith("usage: ./dmap " + command), command + " " + flag + ": " + printed);
            }
        }
        String up = stdout(() -> Main.run(new String[]{"up", "--workers", "3", "--help"}));
        assertTrue(up.contains("--planners N"), up);
        assertTrue(Main.HELP.keySet().containsAll(List.of("up", "demo", "run", "status", "ls", "abort", "redrive", "results")));
    }

    @Test
    void plannersAreParsedAndEachReplicaHasItsPort() {
        ClusterOptions o = Main.options(new java.util.ArrayList<>(List.of("--planners", "3", "--planner-port", "18080")));
        assertEquals(3, o.planners());
        assertEquals("http://127.0.0.1:18080,http://127.0.0.1:18081,http://127.0.0.1:18082", o.plannerUrls());
        assertTrue(o.envFile().contains("export DMAP_PLANNER_URLS=http://127.0.0.1:18080,http://127.0.0.1:18081,http://127.0.0.1:18082\n"));
        assertEquals(1, Main.options(new java.util.ArrayList<>()).planners());
        Main.UsageException e = assertThrows(Main.UsageException.class,
                () -> Main.options(new java.util.ArrayList<>(List.of("--planners"))));
        assertEquals("--planners needs a value", e.getMessage());
    }

    interface Body {
        void run() throws Exception;
    }

    private static String stdout(Body body) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
