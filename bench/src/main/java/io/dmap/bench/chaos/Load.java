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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Load (issue 14): N map runs submitted at once (default 200; AWS allows 1,000 open) to a cluster as ./dmap up runs
 * it (default JVM options), each a listing of {@code --items} objects in batches of 5 with results written. Every run
 * must end SUCCEEDED with exact counts and every item once in its result files ({@link RunCheck}); the resident
 * memory (VmRSS) of every service is sampled every 500 ms before, during and after. Writes a markdown report.
 *
 * <pre>bench/load.sh [--runs 200] [--items 50] [--report FILE]</pre>
 */
public final class Load {

    static final String IN = "load-in";
    static final String OUT = "load-out";

    public record Result(int runs, int correct, Duration submitted, Duration finished, Map<String, long[]> rss,
                         Map<String, long[]> heap, Map<String, String> histograms, List<String> problems) {
    }

    public static void main(String[] args) throws Exception {
        Path repo = ServiceJars.locate(Path.of(System.getProperty("dmap.repo.root", "."))).repoRoot();
        int runs = 200, items = 50;
        Path report = repo.resolve("bench/results/load-" + Instant.now().toString().substring(0, 10) + ".md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--items" -> items = Integer.parseInt(args[++i]);
                case "--report" -> report = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("options: --runs N --items N --report FILE");
            }
        }
        Result r = run(repo, repo.resolve("bench/target/load-" + System.currentTimeMillis()), runs, items, System.out);
        write(report, r, items);
        System.out.println("load: " + r.correct() + "/" + r.runs() + " runs correct; report " + report);
        System.exit(r.correct() == r.runs() ? 0 : 1);
    }

    public static Result run(Path repo, Path home, int runs, int items, PrintStream out) throws Exception {
        ClusterOptions o = new ClusterOptions(home, 2, 12, freePort(), freePort(), freePort(), freePort(),
                "dmap", "dmap-secret-key", "us-east-1", 1);
        Map<String, long[]> rss = new ConcurrentHashMap<>(); // name -> {before, peak, end}
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        try (LocalCluster cluster = new LocalCluster(o, ServiceJars.locate(repo), repo.resolve("cli/target/lib"), out);
             S3Client s3 = S3Client.builder().endpointOverride(URI.create(o.s3Endpoint())).region(Region.of(o.region()))
                     .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create(o.accessKey(), o.secretKey()))).build()) {
            cluster.start();
            s3.createBucket(b -> b.bucket(IN));
            s3.createBucket(b -> b.bucket(OUT));
            Set<String> keys = new LinkedHashSet<>();
            for (int i = 0; i < items; i++) {
                String key = String.format("load/%05d.json", i);
                s3.putObject(b -> b.bucket(IN).key(key), RequestBody.fromString("{}"));
                keys.add(key);
            }
            Map<String, ServiceProcess> processes = cluster.processes();
            sample(processes, rss, 0);
            Map<String, long[]> heap = new java.util.TreeMap<>(); // planner and aggregator: {before, after} after a full GC
            for (String name : HEAP_WATCHED) {
                heap.put(name, new long[]{Heap.usedAfterFullGc(processes.get(name).pid()), -1});
            }
            Sampler sampler = new Sampler(processes, rss);
            sampler.start();
            PlannerApi api = new PlannerApi(URI.create(o.plannerUrl()));
            Instant t0 = Instant.now();
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<String>> posts = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                String spec = spec("load-" + i);
                posts.add(pool.submit(() -> {
                    PlannerApi.Answer a = api.post("/map-runs", spec);
                    if (a.status() != 201) {
                        throw new IOException("POST answered " + a.status() + " " + a.body());
                    }
                    return a.body().path("mapRunId").asText();
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : posts) {
                try {
                    ids.add(f.get());
                } catch (Exception e) {
                    problems.add("submit: " + e.getMessage());
                }
            }
            pool.shutdown();
            Duration submitted = Duration.between(t0, Instant.now());
            out.println("load: " + ids.size() + " runs accepted in " + submitted.toMillis() + " ms");
            int correct = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
            Map<String, JsonNode> ended = new LinkedHashMap<>();
            while (ended.size() < ids.size() && System.nanoTime() < deadline) {
                for (String id : ids) {
                    if (!ended.containsKey(id)) {
                        PlannerApi.Answer a = api.get("/map-runs/" + id);
                        if (a.status() == 200 && !RunStatus.RUNNING.name().equals(a.body().path("status").asText())) {
                            ended.put(id, a.body());
                        }
                    }
                }
                Thread.sleep(1000);
            }
            Duration finished = Duration.between(t0, Instant.now());
            sampler.stop();
            sample(processes, rss, 2);
            Map<String, String> histograms = new java.util.TreeMap<>();
            for (String name : HEAP_WATCHED) {
                heap.get(name)[1] = Heap.usedAfterFullGc(processes.get(name).pid());
                histograms.put(name, Heap.histogram(processes.get(name).pid(), 15));
            }
            for (String id : ids) {
                JsonNode run = ended.get(id);
                if (run == null) {
                    problems.add(id + " did not end within 20 minutes");
                    continue;
                }
                RunCheck.Verdict v = RunCheck.check(run, keys, item -> item.path("Key").asText(), item -> false, s3,
                        RunStatus.SUCCEEDED.name());
                if (v.passed()) {
                    correct++;
                } else {
                    problems.add(id + ": " + v.problems());
                }
            }
            return new Result(runs, correct, submitted, finished, rss, heap, histograms, problems);
        }
    }

    /** The services whose retained heap is measured (the ones that keep state about runs). */
    static final List<String> HEAP_WATCHED = List.of("planner", "aggregator");

    static String spec(String prefix) {
        return """
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "%s", "Prefix": "load/"}},
                 "ItemBatcher": {"MaxItemsPerBatch": 5},
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "P",
                   "States": {"P": {"Type": "Pass", "Parameters": {"first.$": "$.Items[0].Key"}, "End": true}}},
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "%s", "Prefix": "%s"}}}
                """.formatted(IN, OUT, prefix);
    }

    /** slot 0: before, 1: peak, 2: end. */
    static void sample(Map<String, ServiceProcess> processes, Map<String, long[]> rss, int slot) {
        processes.forEach((name, p) -> {
            long v = rss(p.pid());
            long[] a = rss.computeIfAbsent(name, k -> new long[3]);
            synchronized (a) {
                if (slot == 1) {
                    a[1] = Math.max(a[1], v);
                } else {
                    a[slot] = v;
                    a[1] = Math.max(a[1], v);
                }
            }
        });
    }

    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return 0;
    }

    static final class Sampler {
        private final Thread thread;
        private volatile boolean running = true;

        Sampler(Map<String, ServiceProcess> processes, Map<String, long[]> rss) {
            thread = new Thread(() -> {
                while (running) {
                    sample(processes, rss, 1);
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-rss");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    static void write(Path report, Result r, int items) throws IOException {
        Files.createDirectories(report.toAbsolutePath().getParent());
        StringBuilder sb = new StringBuilder("# Load: " + r.runs() + " map runs submitted at once\n\n");
        sb.append("Measured ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load average ").append(Files.readString(Path.of("/proc/loadavg")).trim())
                .append(". The cluster of ./dmap up (2 workers, 1 planner, -Xms64m -Xmx512m each); every run lists ").append(items)
                .append(" objects in batches of 5 (Pass child) and writes its results; 32 client threads POST all runs at once.\n\n");
        sb.append(String.format("- runs correct (SUCCEEDED, exact counts, every item once in its result files, manifest sizes): **%d / %d**%n",
                r.correct(), r.runs()));
        sb.append(String.format("- all POSTs answered 201 after %.1f s; all runs ended after %.1f s%n%n",
                r.submitted().toMillis() / 1000.0, r.finished().toMillis() / 1000.0));
        sb.append("| process | RSS before (MiB) | peak RSS during (MiB) | RSS after (MiB) |\n|---|---:|---:|---:|\n");
        r.rss().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append(String.format("| %s | %d | %d | %d |%n",
                e.getKey(), e.getValue()[0] >> 20, e.getValue()[1] >> 20, e.getValue()[2] >> 20)));
        sb.append("\n| process | heap used after a full GC, before the runs (MiB) | after they all ended (MiB) |\n|---|---:|---:|\n");
        r.heap().forEach((name, h) -> sb.append(String.format("| %s | %.1f | %.1f |%n", name, h[0] / 1048576.0, h[1] / 1048576.0)));
        r.histograms().forEach((name, h) -> sb.append("\nLive objects of ").append(name)
                .append(" after the runs (jcmd GC.class_histogram, top 15):\n\n```\n").append(h).append("```\n"));
        if (!r.problems().isEmpty()) {
            sb.append("\nProblems:\n");
            r.problems().stream().limit(50).forEach(p -> sb.append("- ").append(p).append('\n'));
        }
        Files.writeString(report, sb.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
