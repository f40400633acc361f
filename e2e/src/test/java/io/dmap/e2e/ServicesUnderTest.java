package io.dmap.e2e;

import io.dmap.cli.ServiceJars;
import io.dmap.cli.ServiceProcess;
import io.dmap.testsupport.DmapInfra;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three services as real child processes (their packaged quarkus-app jars) on the shared in-process
 * broker and S3 server, in a topic namespace of their own so that test classes do not see each other.
 */
final class ServicesUnderTest implements AutoCloseable {

    static final Duration READY = Duration.ofSeconds(90);
    static final List<String> JVM = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final DmapInfra infra;
    private final String namespace;
    private final int batchPartitions;
    private final ServiceJars jars;
    private final Path workDir;
    private final List<ServiceProcess> processes = new ArrayList<>();
    private final Map<String, Map<String, String>> configByModule = new HashMap<>();
    private ServiceProcess planner;
    private URI plannerUrl;
    /** The aggregator the planner asks for child executions (the first one started). */
    private URI aggregatorUrl;
    private int workerCount;

    ServicesUnderTest(DmapInfra infra, String namespace, int batchPartitions) throws IOException {
        this.infra = infra;
        this.namespace = namespace;
        this.batchPartitions = batchPartitions;
        this.jars = ServiceJars.locate(repoRoot());
        this.workDir = Files.createTempDirectory("dmap-e2e-" + namespace);
    }

    Map<String, String> common(int httpPort) {
        Map<String, String> p = new HashMap<>(infra.serviceConfig());
        p.put("dmap.topics.namespace", namespace);
        p.put("dmap.topics.batch-partitions", Integer.toString(batchPartitions));
        p.put("dmap.topics.partitions", "4");
        p.put("quarkus.http.port", Integer.toString(httpPort));
        p.put("quarkus.http.host", "127.0.0.1");
        p.put("planner.auth.enabled", "false"); // SecuredKafkaIT turns it on
        p.put("worker.outbound.allow-loopback", "true"); // the tests' HTTP endpoints are on loopback
        p.put("quarkus.log.console.format", "%d{HH:mm:ss,SSS} %-5p [%c{2.}] (%t) %s%e%n");
        return p;
    }

    /**
     * Extra configuration of a module's processes. With {@code kafka.bootstrap.servers} in it, the module runs on
     * another broker, and nothing but these {@code kafka.*} settings tells it where Kafka is (not even
     * quarkus.kafka-streams.bootstrap-servers).
     */
    ServicesUnderTest with(String module, Map<String, String> config) {
        configByModule.computeIfAbsent(module, m -> new HashMap<>()).putAll(config);
        return this;
    }

    ServicesUnderTest startAll(int workers) throws IOException, InterruptedException {
        startAggregator();
        for (int i = 0; i < workers; i++) {
            startWorker();
        }
        startPlanner();
        return this;
    }

    ServiceProcess startAggregator() throws IOException, InterruptedException {
        int port = freePort();
        Map<String, String> p = common(port);
        p.put("quarkus.kafka-streams.application-id", "dmap-aggregator-" + namespace);
        p.put("kafka-streams.state.dir", workDir.resolve("streams").toString());
        p.put("aggregator.results.group-id", "dmap-result-writer-" + namespace);
        ServiceProcess aggregator = start(ServiceJars.AGGREGATOR, port, p);
        if (aggregatorUrl == null) {
            aggregatorUrl = URI.create("http://127.0.0.1:" + port);
        }
        return aggregator;
    }

    ServiceProcess startWorker() throws IOException, InterruptedException {
        return startWorker(Map.of());
    }

    /** A worker with extra configuration (e.g. {@code worker.claim-check.bucket}). */
    ServiceProcess startWorker(Map<String, String> extra) throws IOException, InterruptedException {
        int port = freePort();
        Map<String, String> p = common(port);
        p.put("worker.group-id", "dmap-workers-" + namespace);
        p.putAll(extra);
        return start(ServiceJars.WORKER + "-" + (workerCount++), port, p);
    }

    ServiceProcess startPlanner() throws IOException, InterruptedException {
        int port = freePort();
        Map<String, String> p = common(port);
        if (aggregatorUrl != null) {
            p.put("planner.aggregator-url", aggregatorUrl.toString());
        }
        planner = start(ServiceJars.PLANNER, port, p);
        plannerUrl = URI.create("http://127.0.0.1:" + port);
        return planner;
    }

    private ServiceProcess start(String name, int port, Map<String, String> properties) throws IOException, InterruptedException {
        String module = name.startsWith(ServiceJars.WORKER) ? ServiceJars.WORKER : name;
        Map<String, String> extra = configByModule.getOrDefault(module, Map.of());
        if (extra.containsKey("kafka.bootstrap.servers")) {
            properties.remove("quarkus.kafka-streams.bootstrap-servers");
        }
        properties.putAll(extra);
        ServiceProcess process = ServiceProcess.quarkus(name, jars.jar(module), JVM, properties, workDir.resolve(name + ".log"));
        processes.add(process);
        process.awaitHttpOk(URI.create("http://127.0.0.1:" + port + "/q/health/ready"), READY);
        return process;
    }

    static Path repoRoot() {
        return ServiceJars.locate(Path.of(System.getProperty("dmap.repo.root", "."))).repoRoot();
    }

    URI plannerUrl() {
        return plannerUrl;
    }

    Path workDir() {
        return workDir;
    }

    List<ServiceProcess> processes() {
        return List.copyOf(processes);
    }

    /** Tail of every service log, for a failing test's message. */
    String logs() {
        StringBuilder sb = new StringBuilder();
        for (ServiceProcess p : processes) {
            try {
                List<String> lines = Files.readAllLines(p.log());
                sb.append("\n===== ").append(p.name()).append(" (").append(p.log()).append(")\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
            } catch (IOException e) {
                sb.append("\n(cannot read ").append(p.log()).append(": ").append(e).append(")");
            }
        }
        return sb.toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess p : processes) {
            p.stop(Duration.ofSeconds(10));
        }
    }
}
