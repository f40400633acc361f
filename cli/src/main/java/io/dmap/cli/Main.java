package io.dmap.cli;

import io.dmap.common.events.RunStatus;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./dmap}: run a whole dmap locally without Docker, and drive the Map Run API.
 * Exit codes: 0 success, 1 the run or command failed, 2 usage error.
 */
public final class Main {

    static final String USAGE = """
            usage: ./dmap <command> [options]      (./dmap <command> --help: that command's usage)
              up [--workers N] [--planners N] [--partitions P] [--planner-port 8080] [--s3-port 9000] [--kafka-port 9092]
                                  start Kafka, S3 and the services here, restart any that exits; Ctrl-C stops them
                                  (data stays in .dmap/)
              demo [same options]  start everything, seed a bucket, run a sample map with live progress, stop
              run SPEC.json [--wait]  submit a Map state definition (with --wait: follow it to the end)
              status              the processes of ./dmap up: pid, state, restarts, last exit
              status ID           describe a map run
              ls                  list map runs, newest first
              abort ID            abort a map run
              redrive ID          redrive a map run's failed and never-started items
              results ID          print a finished run's manifest and the first records of each result file
            """;

    /** `./dmap <command> --help`. */
    static final java.util.Map<String, String> HELP = java.util.Map.of(
            "up", """
                    usage: ./dmap up [--workers N] [--planners N] [--partitions P] [--planner-port PORT] [--s3-port PORT] [--kafka-port PORT]
                      Starts a Kafka broker (KRaft), an S3 server (S3Proxy) and the dmap services as child processes,
                      logs in .dmap/logs/, data in .dmap/ (it survives a restart). A process that exits is started
                      again (same port, same data) after a backoff of 1 s doubling up to 30 s; each exit and restart
                      is logged in .dmap/logs/supervisor.log; ./dmap status lists the processes. Ctrl-C stops all.
                      --workers N        worker processes (default 2)
                      --planners N       planner replicas (default 1) on ports PORT, PORT+1, ...; each serves the
                                         whole API, so the API survives one; ./dmap tries them in turn
                      --partitions P     partitions of map-batches (default 12)
                      --planner-port     first planner's HTTP port (default 8080)
                      --s3-port          S3 server port (default 9000)
                      --kafka-port       broker port (default 9092; the KRaft controller takes the next one)
                    """,
            "demo", """
                    usage: ./dmap demo [same options as ./dmap up]
                      Starts a local cluster, seeds a bucket with 3,000 "photos", runs the sample map with live
                      progress, prints where the results are, and stops the cluster.
                    """,
            "run", """
                    usage: ./dmap run SPEC.json [--wait]
                      Submits a Map state definition (StartMapRun); with --wait follows it to its end and exits
                      0 if it SUCCEEDED, 1 otherwise.
                    """,
            "status", """
                    usage: ./dmap status [ID]
                      Without ID: the processes the running ./dmap up supervises (pid, state, alive, restarts,
                      URL, last exit), from .dmap/processes.json. With ID: DescribeMapRun of that run.
                    """,
            "ls", """
                    usage: ./dmap ls
                      Lists the map runs, newest first.
                    """,
            "abort", """
                    usage: ./dmap abort ID
                      Aborts a running map run.
                    """,
            "redrive", """
                    usage: ./dmap redrive ID
                      Redrives a finished map run: its failed and never-started items run again.
                    """,
            "results", """
                    usage: ./dmap results ID
                      Prints a finished run's manifest and the first records of each result file.
                    """);

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (UsageException e) {
            System.err.println("dmap: " + e.getMessage());
            System.err.print(USAGE);
            code = 2;
        } catch (Exception e) {
            System.err.println();
            System.err.println("dmap: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return 0;
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        if (rest.contains("--help") || rest.contains("-h")) {
            String help = HELP.get(args[0]);
            if (help == null) {
                throw new UsageException("unknown command '" + args[0] + "'");
            }
            System.out.print(help);
            return 0;
        }
        return switch (args[0]) {
            case "up" -> up(options(rest));
            case "demo" -> new Demo(System.out).run(options(rest), jars(), libs());
            case "run" -> submit(rest);
            case "status" -> rest.isEmpty() ? processes() : print(api().get("/map-runs/" + single(rest, "ID")));
            case "ls" -> print(api().get("/map-runs"));
            case "abort" -> print(api().post("/map-runs/" + single(rest, "ID") + "/abort", "{}"));
            case "redrive" -> print(api().post("/map-runs/" + single(rest, "ID") + "/redrive", "{}"));
            case "results" -> results(single(rest, "ID"));
            default -> throw new UsageException("unknown command '" + args[0] + "'");
        };
    }

    static int up(ClusterOptions options) throws Exception {
        LocalCluster cluster = new LocalCluster(options, jars(), libs(), System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("\nstopping dmap ...")));
        System.out.println("starting dmap in " + options.home() + " ...");
        cluster.start();
        if (options.planners() > 1) {
            System.out.println("\nThe API is served by " + options.planners() + " planner replicas, each the whole API: "
                    + options.plannerUrls() + " (./dmap tries them in turn)");
        }
        System.out.println("Processes that exit are restarted (log " + options.home().resolve("logs/supervisor.log")
                + "); ./dmap status lists them.");
        System.out.println("\ndmap is up. Open the console: " + options.plannerUrl() + "/");
        System.out.println("Credentials: access key " + options.accessKey() + ", secret key " + options.secretKey()
                + ", region " + options.region());
        System.out.println("API authentication: OFF (the planner listens on 127.0.0.1 only; see docs/deployment-security.md"
                + " to turn it on for a shared machine)");
        System.out.println("Environment for other shells: source " + options.home().resolve("env"));
        System.out.println("Try: ./dmap run cli/src/main/resources/demo/spec.json --wait      Ctrl-C stops everything.");
        new CountDownLatch(1).await(); // until Ctrl-C: LocalCluster's shutdown hook stops the processes
        return 0;
    }

    static int submit(List<String> args) throws Exception {
        boolean wait = args.remove("--wait");
        Path file = Path.of(single(args, "SPEC.json"));
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no such file: " + file);
        }
        PlannerApi api = api();
        PlannerApi.Answer created = api.post("/map-runs", Files.readString(file));
        if (created.status() >= 300) {
            return print(created);
        }
        String id = created.body().path("mapRunId").asText();
        System.out.println("map run " + id + " (" + created.status() + ")");
        if (!wait) {
            return 0;
        }
        ProgressBar bar = new ProgressBar(System.out);
        JsonNode run = api.awaitTerminal(id, Duration.ofHours(24), bar::update);
        bar.finish();
        Demo.summary(System.out, run);
        return RunStatus.SUCCEEDED.name().equals(run.path("status").asText()) ? 0 : 1;
    }

    static int print(PlannerApi.Answer answer) {
        System.out.println(answer.body() == null ? "(" + answer.status() + ")" : answer.body().toPrettyString());
        return answer.status() < 300 ? 0 : 1;
    }

    /** The first planner replica that answers (DMAP_PLANNER_URLS, else DMAP_PLANNER_URL, else :8080). */
    static PlannerApi api() throws IOException {
        LocalEnv env = LocalEnv.read(home());
        String urls = env.get("DMAP_PLANNER_URLS", env.get("DMAP_PLANNER_URL", "http://127.0.0.1:8080"));
        // DMAP_API_TOKEN: an API key or OIDC access token for a planner with authentication on
        return PlannerApi.firstAnswering(List.of(urls.split(",")), System.getenv("DMAP_API_TOKEN"));
    }

    /** `./dmap status` without an ID: the supervised processes. */
    static int processes() throws IOException {
        if (!Files.isRegularFile(ProcessTable.file(home()))) {
            System.out.println("no ./dmap up has run in " + home() + " (no " + ProcessTable.FILE + ")");
            return 1;
        }
        ProcessTable table = ProcessTable.read(home());
        table.print(System.out);
        return table.supervisorAlive() ? 0 : 1;
    }

    static int results(String id) throws Exception {
        PlannerApi.Answer run = api().get("/map-runs/" + id);
        if (run.status() != 200) {
            return print(run);
        }
        if (!run.body().path("resultWriterDetails").path("key").isTextual()) {
            System.out.println("run " + id + " is " + run.body().path("status").asText() + " and has no result files (yet)");
            return 1;
        }
        LocalEnv env = LocalEnv.read(home());
        ClusterOptions d = ClusterOptions.defaults(home());
        try (var s3 = Demo.s3(env.get("DMAP_S3_ENDPOINT", d.s3Endpoint()), env.get("AWS_REGION", d.region()),
                env.get("AWS_ACCESS_KEY_ID", d.accessKey()), env.get("AWS_SECRET_ACCESS_KEY", d.secretKey()))) {
            Demo.printResults(System.out, s3, run.body(), 2);
        }
        return 0;
    }

    static ClusterOptions options(List<String> args) {
        ClusterOptions d = ClusterOptions.defaults(home());
        int workers = d.workers();
        int partitions = d.partitions();
        int planner = d.plannerPort();
        int s3 = d.s3Port();
        int kafka = d.kafkaPort();
        int planners = 1;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) {
                throw new UsageException(flag + " needs a value");
            }
            int value = number(flag, args.get(++i));
            switch (flag) {
                case "--workers" -> workers = value;
                case "--planners" -> planners = value;
                case "--partitions" -> partitions = value;
                case "--planner-port" -> planner = value;
                case "--s3-port" -> s3 = value;
                case "--kafka-port" -> kafka = value;
                default -> throw new UsageException("unknown option " + flag);
            }
        }
        return new ClusterOptions(d.home(), workers, partitions, planner, s3, kafka, kafka + 1,
                d.accessKey(), d.secretKey(), d.region(), planners);
    }

    private static int number(String flag, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n <= 0 || n > 65535) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " takes a positive number, not '" + value + "'");
        }
    }

    private static String single(List<String> args, String what) {
        if (args.size() != 1) {
            throw new UsageException("expected " + what);
        }
        return args.get(0);
    }

    static Path home() {
        String home = System.getenv("DMAP_HOME");
        return Path.of(home == null ? ".dmap" : home).toAbsolutePath();
    }

    static ServiceJars jars() {
        return ServiceJars.locate(Path.of(System.getProperty("dmap.repo.root", ".")));
    }

    static Path libs() {
        return jars().repoRoot().resolve("cli/target/lib");
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
