package io.dmap.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * A whole dmap on this machine without Docker: a real Kafka broker (KRaft, {@code kafka.Kafka} from Kafka's
 * own jars), a real S3-compatible server (S3Proxy on a folder), then the aggregator, N workers and M planner
 * replicas, each a child process kept alive by a {@link Supervisor} (a process that exits is started again, same
 * port and data, with backoff). Data lives under {@code <home>} (.dmap/) and survives a restart.
 */
public final class LocalCluster implements AutoCloseable {

    private final ClusterOptions o;
    private final ServiceJars jars;
    private final Path libs;
    private final PrintStream out;
    private final Supervisor supervisor;
    /** Ctrl-C or SIGTERM while the cluster runs: stop the child processes instead of orphaning them. */
    private final Thread stopOnExit = new Thread(this::stopAll, "dmap-cluster-stop");
    private final List<Supervised> services = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> httpPorts = Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    /**
     * A service starts with a small heap and grows it as it needs (up to 512 MiB): the JVM's own initial heap is 1/64
     * of the machine's memory (376 MiB on 24 GiB), which a worker holding thousands of idle lanes never needs. The
     * serial collector, as the JVM itself picks in the 1 GiB containers of deploy/: the services' live heaps are small
     * (30-130 MiB), and on few cores G1's heap sizing and remembered sets cost more memory than its shorter pauses are
     * worth (bench/results/2026-12-03-session8.md: lower RSS in every service, about the same speed). Only the
     * client compiler (C1): five or more JVMs start together on the machine, and in the first half minute their C2
     * compilations took a large share of its cores (6-12 s of compilation per service in the replay); with C1 alone the
     * replay took 21.4-23.2 s instead of 23.9-25.0 s, at the cost of long CPU-bound work (result files written 40 %
     * slower), bench/results/2026-12-06-session9.md. {@link #JVM_OPTIONS_ENV} adds to them
     * ({@code -XX:TieredStopAtLevel=4} brings C2 back).
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");
    /** JVM options (space-separated) added to those of every service; a collector named there replaces the serial one. */
    public static final String JVM_OPTIONS_ENV = "DMAP_JVM_OPTS";
    private Function<String, List<String>> jvmOptions = name -> withOptions(DEFAULT_JVM_OPTIONS,
            System.getenv(JVM_OPTIONS_ENV));
    private Map<String, String> extraConfig = Map.of();
    private int workers;

    public LocalCluster(ClusterOptions options, ServiceJars jars, Path libs, PrintStream out) {
        this.o = options;
        this.jars = jars;
        this.libs = libs;
        this.out = out;
        this.workers = options.workers();
        this.supervisor = new Supervisor(options.home(), out);
    }

    /**
     * {@code base}, then the space-separated options of {@code extra} (null or blank: none), which win (HotSpot takes
     * the last of an option given twice); a collector named in {@code extra} replaces the one of {@code base}: two
     * would stop the JVM at start.
     */
    public static List<String> withOptions(List<String> base, String extra) {
        if (extra == null || extra.isBlank()) {
            return base;
        }
        List<String> added = List.of(extra.trim().split("\\s+"));
        List<String> options = new ArrayList<>(base);
        if (added.stream().anyMatch(LocalCluster::selectsCollector)) {
            options.removeIf(LocalCluster::selectsCollector);
        }
        options.addAll(added);
        return List.copyOf(options);
    }

    /** {@code -XX:+UseSerialGC}, {@code -XX:+UseG1GC} and the like. */
    private static boolean selectsCollector(String option) {
        return option.startsWith("-XX:+Use") && option.endsWith("GC");
    }

    /** How many workers the next {@link #startServices()} starts (default: the options' count). */
    public LocalCluster workers(int count) {
        this.workers = count;
        return this;
    }

    /** JVM options of each service by its name (aggregator, worker-0.., planner); default {@link #DEFAULT_JVM_OPTIONS}. */
    public LocalCluster jvmOptions(Function<String, List<String>> options) {
        this.jvmOptions = options;
        return this;
    }

    /** Extra system properties for every service (e.g. a topic namespace, worker tuning); they win over the defaults. */
    public LocalCluster extraConfig(Map<String, String> config) {
        this.extraConfig = Map.copyOf(config);
        return this;
    }

    public void start() throws IOException, InterruptedException {
        startInfrastructure();
        startServices();
    }

    /** The broker and the S3 server only. */
    public void startInfrastructure() throws IOException, InterruptedException {
        for (int port : new int[]{o.kafkaPort(), o.controllerPort(), o.s3Port()}) {
            requireFree(port);
        }
        for (int i = 0; i < o.planners(); i++) {
            requireFree(o.plannerPort() + i);
        }
        Files.createDirectories(o.home().resolve("logs"));
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        startKafka();
        startS3();
    }

    /** The aggregator, the workers and the planner (after {@link #startInfrastructure()}, or after {@link #stopServices()}). */
    public void startServices() throws IOException, InterruptedException {
        Map<String, String> common = serviceConfig();
        startService(ServiceJars.AGGREGATOR, "aggregator", freePort(), withState(common));
        for (int i = 0; i < workers; i++) {
            startService(ServiceJars.WORKER, "worker-" + i, freePort(), common);
        }
        Map<String, String> planner = new HashMap<>(common);
        planner.put("planner.aggregator-url", "http://127.0.0.1:" + httpPort("aggregator")); // the console's executions
        for (int i = 0; i < o.planners(); i++) {
            startService(ServiceJars.PLANNER, plannerName(i), o.plannerPort() + i, planner);
        }
        Files.writeString(o.home().resolve("env"), o.envFile());
    }

    private void startKafka() throws IOException, InterruptedException {
        Path dir = o.home().resolve("kafka");
        Path props = dir.resolve("server.properties");
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(props, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + o.controllerPort(),
                "listeners=PLAINTEXT://127.0.0.1:" + o.kafkaPort() + ",CONTROLLER://127.0.0.1:" + o.controllerPort(),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + o.kafkaPort(),
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "message.max.bytes=8388608",
                ""));
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            Process format = new ProcessBuilder(java(), "-cp", classpath(), "kafka.tools.StorageTool", "format",
                    "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c", props.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(o.home().resolve("logs/kafka-format.log").toFile()))
                    .start();
            if (format.waitFor() != 0) {
                throw new IOException("formatting Kafka storage failed; see " + o.home().resolve("logs/kafka-format.log"));
            }
        }
        Path log4j = writeLog4j(dir);
        supervisor.start("kafka", o.bootstrapServers(),
                () -> ServiceProcess.start("kafka", List.of("-Xmx512m"),
                        Map.of("log4j2.configurationFile", log4j.toString()),
                        List.of("-cp", classpath(), "kafka.Kafka", props.toString()), o.home().resolve("logs/kafka.log")),
                p -> awaitPort("kafka", p, o.kafkaPort(), READY));
        out.println("  kafka       " + o.bootstrapServers() + "   (KRaft, data in " + dir.resolve("data") + ")");
    }

    private Path writeLog4j(Path dir) throws IOException {
        Path file = dir.resolve("log4j2.properties");
        Files.writeString(file, "rootLogger.level=WARN\nrootLogger.appenderRef.out.ref=OUT\nappender.out.type=Console\n"
                + "appender.out.name=OUT\nappender.out.layout.type=PatternLayout\nappender.out.layout.pattern=%d %p %c - %m%n\n");
        return file;
    }

    private void startS3() throws IOException, InterruptedException {
        Path dir = o.home().resolve("s3");
        // "objects", not S3Proxy's former "data": keys are stored under their hex names now (io.dmap.s3server.KeyCodec)
        Path objects = dir.resolve("objects");
        Files.createDirectories(objects);
        Path props = dir.resolve("s3server.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=" + o.s3Endpoint(),
                "s3proxy.identity=" + o.accessKey(),
                "s3proxy.credential=" + o.secretKey(),
                "dmap.s3.store=filesystem",
                "dmap.s3.folder=" + objects.toAbsolutePath(),
                ""));
        supervisor.start("s3", o.s3Endpoint(),
                () -> ServiceProcess.start("s3", List.of("-Xmx256m"), Map.of("org.slf4j.simpleLogger.defaultLogLevel", "warn"),
                        List.of("-cp", classpath(), "io.dmap.s3server.S3Server", props.toString()),
                        o.home().resolve("logs/s3.log")),
                p -> awaitPort("s3", p, o.s3Port(), READY));
        createBucket(CLAIM_CHECK_BUCKET);
        createBucket(Demo.RESULTS); // where the console's sample run writes its results
        out.println("  s3          " + o.s3Endpoint() + "   (S3Proxy, data in " + objects + ")");
    }

    /**
     * How long a start may take before it counts as failed (then the supervisor kills it and tries again): generous,
     * since on a loaded machine a JVM service can take minutes to start, and a slow start killed is a slower one.
     */
    static final Duration READY = Duration.ofMinutes(5);

    /** Batches and outputs too big for a Kafka message travel through this bucket (claim check). */
    static final String CLAIM_CHECK_BUCKET = "dmap-claim-checks";

    private void createBucket(String bucket) {
        try (var s3 = Demo.s3(o.s3Endpoint(), o.region(), o.accessKey(), o.secretKey())) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(b -> b.bucket(bucket));
            }
        }
    }

    private Map<String, String> serviceConfig() {
        Map<String, String> p = new HashMap<>();
        p.put("planner.claim-check.bucket", CLAIM_CHECK_BUCKET);
        p.put("worker.claim-check.bucket", CLAIM_CHECK_BUCKET);
        p.put("kafka.bootstrap.servers", o.bootstrapServers());
        p.put("dmap.s3.endpoint", o.s3Endpoint());
        p.put("dmap.s3.region", o.region());
        p.put("dmap.s3.access-key", o.accessKey());
        p.put("dmap.s3.secret-key", o.secretKey());
        p.put("dmap.s3.path-style", "true");
        p.put("dmap.topics.batch-partitions", Integer.toString(o.partitions()));
        // a local cluster: reachable from this machine only, so the API needs no token (the banner says so)
        p.put("quarkus.http.host", "127.0.0.1");
        p.put("planner.auth.enabled", "false");
        p.put("worker.outbound.allow-loopback", "true"); // the local profile: children may call services on this machine
        return p;
    }

    private Map<String, String> withState(Map<String, String> common) {
        Map<String, String> p = new HashMap<>(common);
        p.put("kafka-streams.state.dir", o.home().resolve("aggregator-state").toAbsolutePath().toString());
        return p;
    }

    private void startService(String module, String name, int port, Map<String, String> config)
            throws IOException, InterruptedException {
        Map<String, String> p = new HashMap<>(config);
        p.put("quarkus.http.port", Integer.toString(port));
        p.putAll(extraConfig);
        List<String> jvm = jvmOptions.apply(name);
        String url = "http://127.0.0.1:" + port;
        Supervised s = supervisor.start(name, url,
                () -> ServiceProcess.quarkus(name, jars.jar(module), jvm, p, o.home().resolve("logs/" + name + ".log")),
                process -> process.awaitHttpOk(URI.create(url + "/q/health/ready"), READY));
        services.add(s);
        httpPorts.put(name, port);
        out.printf("  %-11s %s   (log %s)%n", name, url, s.process().log());
    }

    private void awaitPort(String name, ServiceProcess p, int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException(name + " exited before it listened on port " + port + "; see " + p.log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IOException(name + " did not listen on port " + port + " within " + timeout.toSeconds() + " s; see " + p.log());
    }

    private static void requireFree(int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IOException("port " + port + " is already in use (another ./dmap up, or another program?). "
                    + "Stop it or choose other ports, e.g. --planner-port, --s3-port, --kafka-port.");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private String classpath() {
        return libs.toAbsolutePath() + "/*";
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The planner replica names: "planner" alone, or planner-0, planner-1, ... */
    private String plannerName(int i) {
        return o.planners() == 1 ? ServiceJars.PLANNER : ServiceJars.PLANNER + "-" + i;
    }

    /** The running services (not Kafka, not S3), in start order: each one's current process (a restart replaces it). */
    public List<ServiceProcess> services() {
        List<ServiceProcess> list = new ArrayList<>();
        for (Supervised s : List.copyOf(services)) {
            list.add(s.process());
        }
        return list;
    }

    /** Every supervised process by name (kafka, s3, aggregator, worker-0.., planner..): its current process. */
    public Map<String, ServiceProcess> processes() {
        Map<String, ServiceProcess> map = new java.util.LinkedHashMap<>();
        for (Supervised s : supervisor.processes()) {
            map.put(s.name(), s.process());
        }
        return map;
    }

    /** Each supervised process's state by name: starting, running, restarting or stopped. */
    public Map<String, String> states() {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (Supervised s : supervisor.processes()) {
            map.put(s.name(), s.entry().state());
        }
        return map;
    }

    /** How often each supervised process was restarted so far, by name. */
    public Map<String, Integer> restarts() {
        Map<String, Integer> map = new java.util.LinkedHashMap<>();
        for (Supervised s : supervisor.processes()) {
            map.put(s.name(), s.entry().restarts());
        }
        return map;
    }

    /** HTTP port of a running service by its name (aggregator, worker-0.., planner). */
    public int httpPort(String name) {
        Integer port = httpPorts.get(name);
        if (port == null) {
            throw new IllegalArgumentException("no service named " + name);
        }
        return port;
    }

    /** Stops the services (SIGTERM, then SIGKILL after the grace period); the broker and S3 keep running. */
    public void stopServices(Duration grace) throws InterruptedException {
        List<Supervised> reversed = new ArrayList<>(services);
        Collections.reverse(reversed);
        for (Supervised s : reversed) {
            supervisor.stop(s, grace);
            services.remove(s);
        }
        httpPorts.clear();
    }

    /** Stops the services first, then S3 and Kafka, each with SIGTERM and a grace period. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down (the hook is running), or never started
        }
        stopAll();
    }

    private void stopAll() {
        List<Supervised> reversed = new ArrayList<>(supervisor.processes());
        Collections.reverse(reversed);
        for (Supervised s : reversed) {
            try {
                supervisor.stop(s, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
