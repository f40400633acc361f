package io.dmap.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.cli.ClusterOptions;
import io.dmap.cli.LocalCluster;
import io.dmap.cli.PlannerApi;
import io.dmap.cli.ServiceJars;
import io.dmap.cli.ServiceProcess;
import io.dmap.common.events.RunStatus;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chaos harness (issue 14): one local cluster as ./dmap up runs it (supervised broker, S3 server, aggregator,
 * workers, planner replicas as processes), then N rounds; each starts a run of a random kind and kills -9 a random
 * process at a random moment, or pauses it (SIGSTOP) longer than its session timeout, lets the supervisor restart it,
 * and checks the run ({@link RunCheck}). Every round is drawn from the seed ({@link RoundPlan}), so a failing round
 * is replayed with {@code --seed S --only R}. Writes a markdown report as it goes.
 *
 * <pre>bench/chaos.sh [--rounds 100] [--seed S] [--only R] [--minutes M] [--workers 2] [--planners 2] [--no-pauses] [--report FILE]</pre>
 */
public final class Chaos {

    static final String IN = "chaos-in";
    static final String OUT = "chaos-out";
    static final int LISTED = 120;
    static final int LINES = 200;

    /**
     * The harness's options; {@code minutes} > 0 stops starting rounds after that long; {@code from} > 1 starts at that
     * round (with {@code rounds} the last): a fault's after-effects on the next rounds are replayed on one cluster;
     * {@code target} (null: drawn) makes every round's fault hit that process (e.g. {@code kafka}, to repeat broker kills).
     */
    public record Options(Path repo, Path home, int rounds, long seed, int only, int workers, int planners,
                          boolean pauses, double minutes, Path report, Path apps, int from, String target) {

        public Options(Path repo, Path home, int rounds, long seed, int only, int workers, int planners,
                       boolean pauses, double minutes, Path report, Path apps) {
            this(repo, home, rounds, seed, only, workers, planners, pauses, minutes, report, apps, 1, null);
        }

        /** The built jars of the repository itself. */
        public Options(Path repo, Path home, int rounds, long seed, int only, int workers, int planners,
                       boolean pauses, double minutes, Path report) {
            this(repo, home, rounds, seed, only, workers, planners, pauses, minutes, report, repo);
        }

        static final String USAGE = """
                usage: bench/chaos.sh [--rounds N] [--seed S] [--only R | --from R] [--target NAME] [--minutes M]
                                      [--workers N] [--planners N] [--no-pauses] [--report FILE] [--home DIR] [--apps DIR]
                  --rounds N      rounds to run (default 100)
                  --seed S        the seed that draws every round's kind, fault, target and moment (default: the clock);
                                  the report names it, so any round can be replayed
                  --only R        run round R of the seed alone (replay)
                  --from R        run rounds R..N on one cluster
                  --target NAME   aim every fault at one process (kafka, s3, aggregator, worker-0, planner-0, ...)
                  --minutes M     stop starting rounds after M minutes (0: no limit)
                  --workers N     workers (default 2)       --planners N   planner replicas (default 2)
                  --no-pauses     kill only, never SIGSTOP a process
                  --report FILE   the report (default bench/results/chaos-<date>-seed<S>.md)
                  --home DIR      the cluster's folder      --apps DIR     where the built jars are (default: this repo)
                """;

        public static Options parse(Path repo, List<String> args) {
            int rounds = 100, only = -1, workers = 2, planners = 2, from = 1;
            long seed = System.currentTimeMillis() % 1_000_000;
            boolean pauses = true;
            double minutes = 0;
            Path report = null;
            String target = null;
            Path apps = repo;
            Path home = repo.resolve("bench/target/chaos-" + Instant.now().toEpochMilli());
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--rounds" -> rounds = Integer.parseInt(args.get(++i));
                    case "--seed" -> seed = Long.parseLong(args.get(++i));
                    case "--only" -> only = Integer.parseInt(args.get(++i));
                    case "--from" -> from = Integer.parseInt(args.get(++i));
                    case "--target" -> target = args.get(++i);
                    case "--workers" -> workers = Integer.parseInt(args.get(++i));
                    case "--planners" -> planners = Integer.parseInt(args.get(++i));
                    case "--minutes" -> minutes = Double.parseDouble(args.get(++i));
                    case "--no-pauses" -> pauses = false;
                    case "--report" -> report = Path.of(args.get(++i));
                    case "--home" -> home = Path.of(args.get(++i));
                    case "--apps" -> apps = Path.of(args.get(++i));
                    default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
                }
            }
            return new Options(repo, home, rounds, seed, only, workers, planners, pauses, minutes, report, apps, from, target);
        }
    }

    /** One finished round, as the report lists it. */
    public record Outcome(RoundPlan plan, String status, RunCheck.Verdict verdict, int restarts, Duration took, String note) {
    }

    /** Totals of a harness run. */
    public record Summary(long seed, int rounds, int passed, long items, long lost, long duplicated, List<Outcome> outcomes) {
    }

    private final Options o;
    private final PrintStream out;
    private LocalCluster cluster;
    private ClusterOptions cluster0;
    private S3Client s3;
    private final Set<String> listed = new LinkedHashSet<>();
    private final Set<String> lines = new LinkedHashSet<>();

    public Chaos(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(Options.USAGE);
            return;
        }
        Path repo = ServiceJars.locate(Path.of(System.getProperty("dmap.repo.root", "."))).repoRoot();
        Summary s = new Chaos(Options.parse(repo, List.of(args)), System.out).run();
        System.exit(s.passed() == s.rounds() && s.lost() == 0 && s.duplicated() == 0 ? 0 : 1);
    }

    public Summary run() throws Exception {
        Instant started = Instant.now();
        Path report = o.report() != null ? o.report()
                : o.repo().resolve("bench/results/chaos-" + started.toString().substring(0, 10) + "-seed" + o.seed() + ".md");
        Files.createDirectories(o.home());
        int plannerBase = freeRun(o.planners());
        cluster0 = new ClusterOptions(o.home(), o.workers(), 6, plannerBase, freePort(), freePort(), freePort(),
                "dmap", "dmap-secret-key", "us-east-1", o.planners());
        List<Outcome> outcomes = new ArrayList<>();
        try (LocalCluster c = new LocalCluster(cluster0, ServiceJars.locate(o.apps()), o.apps().resolve("cli/target/lib"), out)
                .jvmOptions(name -> List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"))
                // small result files: every run's results are split over several files
                .extraConfig(Map.of("aggregator.results.max-file-bytes", "16384"))) {
            cluster = c;
            out.println("chaos: seed " + o.seed() + ", starting the cluster in " + o.home());
            c.start();
            s3 = S3Client.builder().endpointOverride(URI.create(cluster0.s3Endpoint())).region(Region.of(cluster0.region()))
                    .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(cluster0.accessKey(), cluster0.secretKey()))).build();
            seed();
            List<String> targets = new ArrayList<>(c.processes().keySet());
            if (o.target() != null && !targets.contains(o.target())) {
                throw new IllegalArgumentException("--target " + o.target() + " is none of " + targets);
            }
            header(report, targets);
            int first = o.only() >= 0 ? o.only() : Math.max(1, o.from());
            int last = o.only() >= 0 ? o.only() : o.rounds();
            for (int round = first; round <= last; round++) {
                if (o.minutes() > 0 && Duration.between(started, Instant.now()).toSeconds() > o.minutes() * 60) {
                    out.println("chaos: " + o.minutes() + " minutes are up after " + (round - first) + " rounds");
                    break;
                }
                RoundPlan plan = RoundPlan.draw(o.seed(), round, targets, o.pauses());
                if (o.target() != null) {
                    plan = plan.hitting(o.target());
                }
                Outcome outcome = round(plan);
                outcomes.add(outcome);
                line(report, outcome);
                out.printf("chaos: round %d %s %s %s at %d ms -> %s, %s%n", round, plan.kind(), plan.fault(), plan.target(),
                        plan.delayMillis(), outcome.status(), outcome.verdict().passed() ? "ok" : "FAILED " + outcome.verdict().problems());
            }
        } finally {
            if (s3 != null) {
                s3.close();
            }
        }
        Summary summary = summarize(outcomes);
        footer(report, summary, Duration.between(started, Instant.now()));
        out.println("chaos: " + summary.passed() + "/" + summary.rounds() + " rounds passed, " + summary.items() + " items, "
                + summary.lost() + " lost, " + summary.duplicated() + " counted twice; report " + report);
        return summary;
    }

    private Outcome round(RoundPlan plan) throws Exception {
        Instant t0 = Instant.now();
        int restartsBefore = cluster.restarts().values().stream().mapToInt(Integer::intValue).sum();
        String prefix = "round-" + plan.round() + "-" + t0.toEpochMilli();
        boolean jsonl = plan.kind() == RoundPlan.Kind.JSONL_FAILURES || plan.kind() == RoundPlan.Kind.REDRIVE;
        String note = "";
        String id = null;
        JsonNode run;
        FaultThread fault = null;
        try {
            String runId = submit(spec(plan.kind(), prefix));
            id = runId;
            if (plan.kind() != RoundPlan.Kind.REDRIVE) {
                fault = FaultThread.start(cluster, plan);
            }
            if (plan.kind() == RoundPlan.Kind.ABORT) {
                Thread.sleep(plan.actionMillis());
                int code = call(a -> a.post("/map-runs/" + runId + "/abort", "{}")).status();
                note = "abort answered " + code;
            }
            run = awaitEnd(id, 0);
            if (plan.kind() == RoundPlan.Kind.REDRIVE) {
                if (!RunStatus.FAILED.name().equals(run.path("status").asText())) {
                    note = "first attempt ended " + run.path("status").asText() + "; ";
                }
                int code = call(a -> a.post("/map-runs/" + runId + "/redrive", "{}")).status();
                note += "redrive answered " + code;
                fault = FaultThread.start(cluster, plan);
                run = awaitEnd(id, 1);
            }
        } catch (Exception e) {
            // the evidence while the run is still stuck: which transaction holds what
            Path state = o.home().resolve("kafka-state-round-" + plan.round() + ".txt");
            Files.writeString(state, KafkaState.describe(cluster0.bootstrapServers()));
            note = (note.isEmpty() ? "" : note + "; ") + "Kafka's transactions: " + state;
            if (fault != null) {
                fault.finish();
            }
            awaitAllRunning();
            return new Outcome(plan, "ERROR", new RunCheck.Verdict(0, 0, 0, Map.of(),
                    List.of("run " + id + ": " + e)), restarts(restartsBefore), Duration.between(t0, Instant.now()), note);
        }
        if (fault != null) {
            fault.finish();
            note = (note.isEmpty() ? "" : note + "; ") + fault.describe();
        }
        awaitAllRunning();
        String expected = switch (plan.kind()) {
            case LISTING, SPLIT_RESULTS, JSONL_FAILURES -> RunStatus.SUCCEEDED.name();
            // an abort accepted when every item had already finished (a replica's status view may lag) ends SUCCEEDED
            case ABORT -> note.contains("abort answered 202") && !allSucceeded(run) ? RunStatus.ABORTED.name() : run.path("status").asText();
            case REDRIVE -> RunStatus.FAILED.name();
        };
        RunCheck.Verdict v = jsonl
                ? RunCheck.check(run, lines, item -> item.path("id").asText(), item -> item.path("bad").asBoolean(), s3, expected)
                : RunCheck.check(run, listed, item -> item.path("Key").asText(), item -> item.path("Key").asText().contains("bad"), s3, expected);
        List<String> problems = new ArrayList<>(v.problems());
        if (plan.kind() == RoundPlan.Kind.SPLIT_RESULTS && v.files().getOrDefault("SUCCEEDED", 0) < 2) {
            problems.add("results in " + v.files().get("SUCCEEDED") + " SUCCEEDED file(s), expected several");
        }
        if (plan.kind() == RoundPlan.Kind.REDRIVE && run.path("redriveCount").asInt() < 1) {
            problems.add("redriveCount " + run.path("redriveCount") + " after a redrive");
        }
        if (plan.kind() == RoundPlan.Kind.JSONL_FAILURES && run.path("itemCounts").path("failed").asLong() != expectedJsonlFailures()) {
            problems.add("itemCounts.failed " + run.path("itemCounts").path("failed").asLong() + ", expected " + expectedJsonlFailures());
        }
        RunCheck.Verdict verdict = new RunCheck.Verdict(v.items(), v.lost(), v.duplicated(), v.files(), problems);
        return new Outcome(plan, run.path("status").asText(), verdict, restarts(restartsBefore), Duration.between(t0, Instant.now()), note);
    }

    private static boolean allSucceeded(JsonNode run) {
        JsonNode c = run.path("itemCounts");
        return RunStatus.SUCCEEDED.name().equals(run.path("status").asText()) && c.path("succeeded").asLong() == c.path("total").asLong();
    }

    private int restarts(int before) {
        return cluster.restarts().values().stream().mapToInt(Integer::intValue).sum() - before;
    }

    /** Batches of 2: a batch fails when its first item (an even line) is bad. */
    private long expectedJsonlFailures() {
        long failed = 0;
        for (int i = 0; i < LINES; i += 2) {
            if (badLine(i)) {
                failed += Math.min(2, LINES - i);
            }
        }
        return failed;
    }

    static boolean badLine(int i) {
        return i % 25 == 0;
    }

    private void seed() {
        for (String bucket : List.of(IN, OUT)) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        for (int i = 0; i < LISTED; i++) {
            // long segments and non-ASCII keys too: the S3 server takes what S3 takes
            String key = i % 10 == 0 ? "list/" + "L".repeat(400) + "/" + i
                    : i % 7 == 0 ? String.format("list/é-ü-日本-%04d+%%#~=&.json", i) : String.format("list/%04d.json", i);
            s3.putObject(b -> b.bucket(IN).key(key), RequestBody.fromString("{}"));
            listed.add(key);
        }
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            String id = String.format("j%04d", i);
            jsonl.append("{\"id\":\"").append(id).append("\",\"bad\":").append(badLine(i)).append(",\"n\":").append(i).append("}\n");
            lines.add(id);
        }
        s3.putObject(b -> b.bucket(IN).key("jsonl/items.jsonl"), RequestBody.fromString(jsonl.toString(), StandardCharsets.UTF_8));
    }

    static String spec(RoundPlan.Kind kind, String prefix) {
        String listing = "{\"Resource\": \"arn:aws:states:::s3:listObjectsV2\", \"Parameters\": {\"Bucket\": \"" + IN + "\", \"Prefix\": \"list/\"}}";
        String jsonl = "{\"Resource\": \"arn:aws:states:::s3:getObject\", \"ReaderConfig\": {\"InputType\": \"JSONL\"},"
                + " \"Parameters\": {\"Bucket\": \"" + IN + "\", \"Key\": \"jsonl/items.jsonl\"}}";
        String keyBad = "{\"Variable\": \"$.Items[0].Key\", \"StringMatches\": \"*bad*\", \"Next\": \"Boom\"}";
        String lineBad = "{\"Variable\": \"$.Items[0].bad\", \"BooleanEquals\": true, \"Next\": \"Boom\"}";
        return switch (kind) {
            case LISTING -> spec(listing, keyBad, 3, 0, 1, "", prefix);
            case SPLIT_RESULTS -> spec(listing, keyBad, 1, 0, 0, "", prefix);
            case JSONL_FAILURES -> spec(jsonl, lineBad, 2, 0, 1, "\"ToleratedFailurePercentage\": 20,", prefix);
            case ABORT -> spec(listing, keyBad, 2, 2, 1, "", prefix);
            case REDRIVE -> spec(jsonl, lineBad, 2, 4, 1, "\"ToleratedFailureCount\": 0,", prefix);
        };
    }

    private static String spec(String reader, String badRule, int batch, int concurrency, int waitSeconds, String tolerance, String prefix) {
        String work = waitSeconds > 0
                ? "\"Work\": {\"Type\": \"Wait\", \"Seconds\": " + waitSeconds + ", \"Next\": \"Done\"},"
                : "";
        return """
                {"ItemReader": %s,
                 "ItemBatcher": {"MaxItemsPerBatch": %d},
                 "MaxConcurrency": %d,
                 %s
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                   "StartAt": "Check",
                   "States": {"Check": {"Type": "Choice", "Choices": [%s], "Default": "%s"},
                              "Boom": {"Type": "Fail", "Error": "BadItem", "Cause": "the batch's first item is marked bad"},
                              %s
                              "Done": {"Type": "Pass", "Parameters": {"first.$": "$.Items[0]"}, "End": true}}},
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "%s", "Prefix": "%s"}}}
                """.formatted(reader, batch, concurrency, tolerance, badRule, waitSeconds > 0 ? "Work" : "Done", work, OUT, prefix);
    }

    interface Call {
        PlannerApi.Answer on(PlannerApi api) throws IOException, InterruptedException;
    }

    /** A planner call on whichever replica answers, retried while none does (one may be down or restarting). */
    private PlannerApi.Answer call(Call call) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        IOException last = null;
        List<String> urls = List.of(cluster0.plannerUrls().split(","));
        while (System.nanoTime() < deadline) {
            try {
                PlannerApi.Answer a = call.on(PlannerApi.firstAnswering(urls));
                if (a.status() < 500 && a.status() != 404) {
                    return a;
                }
                last = new IOException("answered " + a.status() + " " + a.body());
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(500);
        }
        throw new IOException("no planner answered for 4 minutes: " + last, last);
    }

    private String submit(String spec) throws Exception {
        PlannerApi.Answer created = call(a -> a.post("/map-runs", spec));
        if (created.status() != 201) {
            throw new IOException("POST /map-runs answered " + created.status() + " " + created.body());
        }
        return created.body().path("mapRunId").asText();
    }

    /** Polls until the run has ended with at least {@code redrives} redrives (7 minutes at most). */
    private JsonNode awaitEnd(String id, int redrives) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(7).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            PlannerApi.Answer a = call(api -> api.get("/map-runs/" + id));
            if (a.status() == 200) {
                last = a.body();
                if (!RunStatus.RUNNING.name().equals(last.path("status").asText()) && last.path("redriveCount").asInt() >= redrives) {
                    return last;
                }
            }
            Thread.sleep(300);
        }
        throw new IOException("run " + id + " did not end within 7 minutes; last " + last);
    }

    private void awaitAllRunning() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (cluster.states().values().stream().allMatch("running"::equals)) {
                return;
            }
            Thread.sleep(200);
        }
        out.println("chaos: not every process is running again after 3 minutes: " + cluster.states());
    }

    private Summary summarize(List<Outcome> outcomes) {
        int passed = 0;
        long items = 0, lost = 0, dup = 0;
        for (Outcome x : outcomes) {
            passed += x.verdict().passed() ? 1 : 0;
            items += x.verdict().items();
            lost += x.verdict().lost();
            dup += x.verdict().duplicated();
        }
        return new Summary(o.seed(), outcomes.size(), passed, items, lost, dup, outcomes);
    }

    private void header(Path report, List<String> targets) throws IOException {
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, "# Chaos run, seed " + o.seed() + "\n\n"
                + "Started " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores (load average "
                + loadAverage() + "); " + o.workers() + " workers, " + o.planners() + " planner replicas, every process supervised "
                + "(restarted with backoff). Targets: " + String.join(", ", targets) + ". Replay a round: "
                + "`bench/chaos.sh --seed " + o.seed() + " --only R`.\n\n"
                + "| round | kind | fault | target | at (ms) | status | items | lost | twice | files S/F/P | restarts | took | verdict | note |\n"
                + "|---:|---|---|---|---:|---|---:|---:|---:|---|---:|---:|---|---|\n");
    }

    private static void line(Path report, Outcome x) throws IOException {
        RunCheck.Verdict v = x.verdict();
        String fault = x.plan().fault() == RoundPlan.Fault.PAUSE ? "pause " + x.plan().pauseMillis() / 1000 + " s" : "kill -9";
        Files.writeString(report, String.format("| %d | %s | %s | %s | %d | %s | %d | %d | %d | %d/%d/%d | %d | %d s | %s | %s |%n",
                x.plan().round(), x.plan().kind(), fault, x.plan().target(), x.plan().delayMillis(), x.status(), v.items(), v.lost(),
                v.duplicated(), v.files().getOrDefault("SUCCEEDED", 0), v.files().getOrDefault("FAILED", 0),
                v.files().getOrDefault("PENDING", 0), x.restarts(), x.took().toSeconds(),
                v.passed() ? "ok" : "**FAILED**: " + String.join("; ", v.problems()).replace("|", "\\|"), x.note().replace("|", "\\|")),
                StandardOpenOption.APPEND);
    }

    private static void footer(Path report, Summary s, Duration took) throws IOException {
        Files.writeString(report, String.format("%n**%d of %d rounds passed; %d items checked, %d lost, %d counted twice.** "
                        + "Wall clock %d min. Load average at the end %s.%n", s.passed(), s.rounds(), s.items(), s.lost(), s.duplicated(),
                took.toMinutes(), loadAverage()), StandardOpenOption.APPEND);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The first of {@code n} consecutive free ports (planner replicas listen on base, base+1, ...). */
    private static int freeRun(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = freePort();
            boolean free = true;
            for (int i = 1; i < n && free; i++) {
                try (ServerSocket s = new ServerSocket(base + i)) {
                    free = true;
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free && base + n < 65536) {
                return base;
            }
        }
        throw new IOException("no " + n + " consecutive free ports");
    }

    /** The fault of a round, on its own thread: kill at once, or stop and resume after the pause. */
    static final class FaultThread {
        private final Thread thread;
        private volatile String done = "fault not reached (the run ended first)";

        private FaultThread(LocalCluster cluster, RoundPlan plan) {
            thread = new Thread(() -> {
                try {
                    Thread.sleep(plan.delayMillis());
                    ServiceProcess p = cluster.processes().get(plan.target());
                    if (p == null || !p.isAlive()) {
                        done = plan.target() + " was not running";
                        return;
                    }
                    if (plan.fault() == RoundPlan.Fault.KILL) {
                        Faults.kill(p);
                        done = "killed " + plan.target() + " (pid " + p.pid() + ")";
                    } else {
                        Faults.stop(p.pid());
                        try {
                            Thread.sleep(plan.pauseMillis());
                        } finally {
                            Faults.resume(p.pid());
                        }
                        done = "paused " + plan.target() + " (pid " + p.pid() + ") for " + plan.pauseMillis() / 1000 + " s";
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    done = "fault failed: " + e.getMessage();
                }
            }, "chaos-fault");
            thread.setDaemon(true);
        }

        static FaultThread start(LocalCluster cluster, RoundPlan plan) {
            FaultThread f = new FaultThread(cluster, plan);
            f.thread.start();
            return f;
        }

        /** Waits for the fault to have happened (a pause: to have been resumed); a fault not yet due is still carried out. */
        void finish() throws InterruptedException {
            thread.join();
        }

        String describe() {
            return done;
        }
    }
}
