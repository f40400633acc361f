package io.dmap.bench;

import io.dmap.cli.ClusterOptions;
import io.dmap.cli.LocalCluster;
import io.dmap.cli.PlannerApi;
import io.dmap.cli.ServiceJars;
import io.dmap.cli.ServiceProcess;
import io.dmap.common.topics.Topics;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster under test: {@link LocalCluster} (real KRaft broker, S3Proxy, the three services as processes) on free
 * ports with a fresh data folder, plus the clients the harness needs. The services can be restarted with another
 * topic namespace and partition count (the replay's 2,000-partition map-batches) while the broker and S3 keep running.
 */
final class BenchCluster implements AutoCloseable {

    /** A running service as the samplers see it. */
    record Service(String name, long pid, int httpPort) {
    }

    private final ClusterOptions options;
    private final LocalCluster cluster;
    private final S3Client s3;
    private final PrintStream out;
    private Topics topics = Topics.of("");
    private boolean closed;

    BenchCluster(BenchOptions o, PrintStream out) throws IOException {
        this.out = out;
        this.options = new ClusterOptions(o.home(), o.workers(), o.partitions(), freePort(), freePort(), freePort(),
                freePort(), "dmap", "dmap-secret-key", "us-east-1");
        ServiceJars jars = snapshot(o.repo(), o.home().resolve("apps"));
        this.cluster = new LocalCluster(options, jars, o.repo().resolve("cli/target/lib"), out);
        this.s3 = S3Client.builder()
                .endpointOverride(URI.create(options.s3Endpoint()))
                .region(Region.of(options.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(options.accessKey(), options.secretKey())))
                .build();
    }

    void start(List<String> jvmOptions) throws IOException, InterruptedException {
        cluster.jvmOptions(name -> jvmOptions);
        cluster.startInfrastructure();
        cluster.startServices();
    }

    /**
     * Restarts the services on a fresh topic namespace whose map-batches has {@code batchPartitions} partitions, with
     * {@code workers} workers (LocalCluster starts as many as ClusterOptions says, so the options are swapped).
     */
    void restartServices(String namespace, int batchPartitions, int workers, List<String> jvmOptions)
            throws IOException, InterruptedException {
        restartServices(namespace, batchPartitions, workers, jvmOptions, Map.of());
    }

    /** As above, with more service configuration (e.g. {@code worker.lanes.max}). */
    void restartServices(String namespace, int batchPartitions, int workers, List<String> jvmOptions,
                         Map<String, String> config) throws IOException, InterruptedException {
        cluster.stopServices(Duration.ofSeconds(20));
        Map<String, String> extra = new HashMap<>(config);
        extra.put("dmap.topics.namespace", namespace);
        extra.put("dmap.topics.batch-partitions", Integer.toString(batchPartitions));
        extra.put("quarkus.kafka-streams.application-id", "dmap-aggregator-" + namespace);
        extra.put("kafka-streams.state.dir", options.home().resolve("aggregator-state-" + namespace).toAbsolutePath().toString());
        extra.put("aggregator.results.group-id", "dmap-result-writer-" + namespace);
        extra.put("worker.group-id", "dmap-workers-" + namespace);
        extra.put("planner.group-id", "dmap-planners-" + namespace);
        cluster.extraConfig(extra).jvmOptions(name -> jvmOptions);
        cluster.workers(workers);
        topics = Topics.of(namespace);
        cluster.startServices();
    }

    List<Service> services() {
        List<Service> list = new ArrayList<>();
        for (ServiceProcess p : cluster.services()) {
            list.add(new Service(p.name(), p.pid(), cluster.httpPort(p.name())));
        }
        return list;
    }

    void createBucket(String bucket) {
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
        }
    }

    PlannerApi planner() {
        return new PlannerApi(URI.create(options.plannerUrl()));
    }

    S3Client s3() {
        return s3;
    }

    String bootstrapServers() {
        return options.bootstrapServers();
    }

    Topics topics() {
        return topics;
    }

    Path home() {
        return options.home();
    }

    ClusterOptions options() {
        return options;
    }

    /**
     * Copies the built services (quarkus-app folders) under the run's folder, so that a rebuild of a module while
     * the harness runs does not pull the jars from under a running service.
     */
    private static ServiceJars snapshot(Path repo, Path root) throws IOException {
        ServiceJars built = new ServiceJars(repo);
        if (!built.allBuilt()) {
            throw new IOException("the services are not built: run ./mvnw -o install -DskipTests -DskipITs");
        }
        for (String service : List.of(ServiceJars.PLANNER, ServiceJars.WORKER, ServiceJars.AGGREGATOR)) {
            Path from = built.jar(service).getParent();
            Path to = root.resolve(service).resolve("target/quarkus-app");
            try (var files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return new ServiceJars(root);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        s3.close();
        cluster.close();
    }
}
