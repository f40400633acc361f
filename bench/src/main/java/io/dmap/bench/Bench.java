package io.dmap.bench;

import io.dmap.cli.LocalCluster;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The benchmark harness of issue 7: one cluster (real broker, S3Proxy, services as processes) on a fresh folder under
 * bench/target, the scenarios in order, a table of medians beside same-run baselines, bench/results/&lt;date&gt;.md.
 * It measures and compares; it asserts nothing about time.
 */
public final class Bench {

    private Bench() {
    }

    interface Step {
        void run() throws Exception;
    }

    /** Runs a selected scenario; a failure is reported in the results and the next scenario still runs. */
    private static void attempt(int scenario, BenchOptions o, Report report, PrintStream out, Step step) {
        if (!o.scenarios().contains(scenario)) {
            return;
        }
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            out.println("  scenario " + scenario + " failed: " + e);
            report.note("scenario " + scenario + " did not complete: " + e.getMessage());
        }
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        Path repo = Path.of(System.getProperty("dmap.repo.root", ".")).toAbsolutePath().normalize();
        List<String> argList = List.of(args);
        if (argList.contains("--help")) {
            out.println(BenchOptions.usage());
            return;
        }
        BenchOptions o = BenchOptions.parse(repo, argList);
        boolean quick = argList.contains("--quick");
        Report report = new Report();
        // as ./dmap up runs them, plus e.g. -XX:NativeMemoryTracking=summary (for jcmd)
        List<String> jvm = LocalCluster.withOptions(LocalCluster.DEFAULT_JVM_OPTIONS, System.getenv("DMAP_BENCH_JVM_OPTS"));
        long t0 = System.nanoTime();
        out.println("dmap bench: cluster in " + o.home());
        try (BenchCluster cluster = new BenchCluster(o, out)) {
            // Ctrl-C or kill: stop the child processes too (they would outlive the harness otherwise).
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "bench-shutdown"));
            cluster.start(jvm);
            Scenarios s = new Scenarios(o, cluster, report, out);
            attempt(1, o, report, out, s::overhead);
            attempt(2, o, report, out, s::throughput);
            attempt(6, o, report, out, s::childExecutions);
            attempt(3, o, report, out, s::listing);
            attempt(4, o, report, out, () -> s.replay(jvm));
            attempt(5, o, report, out, () -> s.scaleOut(jvm));
            attempt(7, o, report, out, () -> s.tally(jvm)); // last: it leaves the services without workers
        } catch (Exception e) {
            report.note("the harness stopped early: " + e);
            report.print(out);
            Path file = report.write(repo, o, true);
            out.println("partial results in " + file + "; logs in " + o.home().resolve("logs"));
            throw e;
        }
        report.note(String.format("whole harness: %.1f min.", (System.nanoTime() - t0) / 60e9));
        report.print(out);
        Path file = report.write(repo, o, quick);
        out.println("results written to " + repo.relativize(file) + (quick || !o.tag().isBlank() ? "" : " and bench/README.md"));
    }
}
