package io.dmap.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's first command, once, as a newcomer runs it: `./dmap demo` starts its own Kafka process, S3Proxy and
 * the services, runs the sample map and exits 0 with the result locations. Free ports and a temporary DMAP_HOME
 * keep it apart from anything else on the machine.
 */
class DemoSmokeIT {

    @Test
    void dmapDemoRunsTheSampleMapAndExitsZero() throws Exception {
        Path home = Files.createTempDirectory("dmap-demo-home");
        Demo demo = runDemo(home, 1);
        // The free ports are chosen here and bound by the demo's own processes a moment later; on a shared machine
        // another program can take one in between. The demo then refuses to start, naming the port: choose again.
        for (int attempt = 2; attempt <= 3 && demo.exitCode() != 0 && demo.output().contains("is already in use"); attempt++) {
            demo = runDemo(home, attempt);
        }
        String output = demo.output();
        assertTrue(demo.ended(), "./dmap demo did not end within 10 minutes:\n" + output);
        assertEquals(0, demo.exitCode(), output);
        assertTrue(output.contains("status SUCCEEDED"), output);
        assertTrue(output.contains("manifest    s3://dmap-demo-results/runs/"), output);
        assertTrue(output.contains("SUCCEEDED_0.json"), output);
        assertTrue(output.contains("items       total 3000  succeeded 2850  failed 150"), output);
    }

    private record Demo(boolean ended, int exitCode, String output) {
    }

    private static Demo runDemo(Path home, int attempt) throws Exception {
        Path root = ServicesUnderTest.repoRoot();
        Path log = home.resolve("demo-output-" + attempt + ".txt");
        ProcessBuilder pb = new ProcessBuilder(List.of(root.resolve("dmap").toString(), "demo",
                "--planner-port", Integer.toString(ServicesUnderTest.freePort()),
                "--s3-port", Integer.toString(ServicesUnderTest.freePort()),
                "--kafka-port", Integer.toString(ServicesUnderTest.freePort())))
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("DMAP_HOME", home.toString());
        pb.environment().put("DMAP_NO_BUILD", "1"); // the reactor built the jars just before this test
        Process demo = pb.start();
        boolean ended = demo.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            demo.destroy();
            demo.waitFor(30, TimeUnit.SECONDS);
        }
        return new Demo(ended, ended ? demo.exitValue() : -1, Files.readString(log));
    }
}
