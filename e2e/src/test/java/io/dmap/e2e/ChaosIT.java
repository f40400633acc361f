package io.dmap.e2e;

import io.dmap.bench.chaos.Chaos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The short version of the chaos harness (bench/chaos.sh): a supervised local cluster as ./dmap up runs it, and
 * rounds whose runs have a process killed -9 mid-run (seed 2: the S3 server 5 s into a listing run, then planner-0
 * during a run that is aborted). Each run must end with exact counts and every item once in its result files, with
 * no manual step: a run that meets the S3 server while it restarts waits for it (dmap.s3.connection-retry.*).
 */
class ChaosIT {

    static final long SEED = 2;
    static final int ROUNDS = 2;

    @TempDir
    Path home;

    @Test
    void killedProcessesAreRestartedAndEveryRunEndsExact() throws Exception {
        Path report = home.resolve("chaos.md");
        Chaos.Options options = new Chaos.Options(ServicesUnderTest.repoRoot(), home.resolve("cluster"), ROUNDS, SEED, -1,
                2, 2, false, 0, report);
        Chaos.Summary s = new Chaos(options, System.out).run();
        String text = Files.readString(report);
        assertEquals(ROUNDS, s.rounds(), text);
        assertEquals(0, s.lost(), text);
        assertEquals(0, s.duplicated(), text);
        assertEquals(ROUNDS, s.passed(), text);
    }
}
