package io.dmap.bench;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What to run and how big. Defaults are the sizes; {@code --quick} shrinks everything for a smoke run of
 * the harness itself.
 *
 * @param runsSmall       repetitions of the cheap scenarios (1: fixed overhead)
 * @param runsBig         repetitions of the big scenarios (2: throughput, 3: listing)
 * @param runsReplay      repetitions of scenario 4 (the re:Invent replay): the first on freshly started services, the
 *                        others right after it (slow: bench/results/2026-12-03-session8.md)
 * @param throughputItems items of scenario 2 (JSONL file)
 * @param listingObjects  objects of scenario 3
 * @param replayItems     items of scenario 4
 * @param replayPartitions partitions of the replay's map-batches topic (= MaxConcurrency)
 * @param replayWait      seconds of the replay child's Wait state
 * @param childItems      items of scenario 6 (one per child execution)
 * @param runBudgetSeconds scenario 2 shrinks its item count when the warm-up's rate says one run would take longer
 * @param tag             non-empty: results go to results/&lt;date&gt;-&lt;tag&gt;.md and the README is left alone
 */
public record BenchOptions(Path repo, Path home, Set<Integer> scenarios, int workers, int partitions, int replayWorkers,
                           int runsSmall, int runsBig, int runsReplay, int throughputItems, int listingObjects,
                           int replayItems, int replayPartitions, int replayWait, int childItems, int runBudgetSeconds, boolean profile, String note, String tag) {

    public static BenchOptions parse(Path repo, List<String> args) {
        Set<Integer> scenarios = new LinkedHashSet<>(List.of(1, 2, 6, 3, 4, 5, 7));
        int workers = 2, partitions = 12, replayWorkers = 2;
        int runsSmall = 5, runsBig = 3, runsReplay = 1;
        int items = 1_000_000, objects = 20_000, replayItems = 500_000, replayPartitions = 2000, replayWait = 16, childItems = 20_000;
        int budget = 300;
        boolean profile = true;
        String note = "", tag = "";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--quick" -> {
                    runsSmall = 2; runsBig = 1; runsReplay = 1;
                    items = 20_000; objects = 2_000; replayItems = 10_000; replayPartitions = 100; replayWait = 2; childItems = 2_000;
                }
                case "--scenarios" -> {
                    scenarios.clear();
                    for (String s : args.get(++i).split(",")) {
                        scenarios.add(Integer.parseInt(s.trim()));
                    }
                }
                case "--workers" -> workers = Integer.parseInt(args.get(++i));
                case "--partitions" -> partitions = Integer.parseInt(args.get(++i));
                case "--replay-workers" -> replayWorkers = Integer.parseInt(args.get(++i));
                case "--runs" -> runsSmall = Integer.parseInt(args.get(++i));
                case "--runs-big" -> runsBig = Integer.parseInt(args.get(++i));
                case "--runs-replay" -> runsReplay = Integer.parseInt(args.get(++i));
                case "--items" -> items = Integer.parseInt(args.get(++i));
                case "--objects" -> objects = Integer.parseInt(args.get(++i));
                case "--replay-items" -> replayItems = Integer.parseInt(args.get(++i));
                case "--replay-partitions" -> replayPartitions = Integer.parseInt(args.get(++i));
                case "--replay-wait" -> replayWait = Integer.parseInt(args.get(++i));
                case "--child-items" -> childItems = Integer.parseInt(args.get(++i));
                case "--run-budget" -> budget = Integer.parseInt(args.get(++i));
                case "--no-profile" -> profile = false;
                case "--note" -> note = args.get(++i);
                case "--tag" -> tag = args.get(++i);
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
            }
        }
        Path home = repo.resolve("bench/target/run-" + System.currentTimeMillis());
        return new BenchOptions(repo, home, scenarios, workers, partitions, replayWorkers, runsSmall, runsBig, runsReplay,
                items, objects, replayItems, replayPartitions, replayWait, childItems, budget, profile, note, tag);
    }

    public static String usage() {
        return """
                usage: bench/run.sh [--quick] [--scenarios 1,2,6,3,4,5,7] [--workers N] [--partitions P] [--replay-workers N]
                                    [--runs N] [--runs-big N] [--runs-replay N] [--items N] [--objects N]
                                    [--replay-items N] [--replay-partitions P] [--replay-wait S] [--child-items N] [--run-budget SECONDS]
                                    [--no-profile] [--note TEXT] [--tag NAME]
                environment: DMAP_BENCH_JVM_OPTS="-XX:..." adds JVM options to every service (after those of ./dmap up, -Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1; a collector named there replaces the serial one, -XX:TieredStopAtLevel=4 brings C2 back)""";
    }
}
