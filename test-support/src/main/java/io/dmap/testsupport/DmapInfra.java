package io.dmap.testsupport;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real infrastructure of dmap's tests: ONE Kafka broker and ONE S3 server per JVM, started lazily on the
 * first {@link #shared()} and stopped by a shutdown hook when the JVM exits. Everything listens on 127.0.0.1.
 *
 * <p>Kafka is an in-process KRaft node ({@link EmbeddedKafka}); with {@code -Ddmap.test.docker=true} it is a
 * Testcontainers broker instead. S3 is S3Proxy with an in-memory store ({@link S3Server}). Tests sharing the JVM
 * share the broker: use a fresh topic namespace ({@code dmap.topics.namespace}) and fresh bucket names per test
 * class when they could interfere.
 *
 * <p>One per JVM even under Quarkus, which loads test classes (and this class) in its own, per-application class
 * loaders: the servers are always started from the system class loader's copy of this class when it can see one,
 * and other copies only wrap its endpoints.
 */
public final class DmapInfra {

    /** Set to {@code true} to run Kafka in a container (needs Docker) instead of in this JVM. */
    public static final String DOCKER_PROPERTY = "dmap.test.docker";

    static final String REGION = "us-east-1";

    private static DmapInfra shared;
    private static RuntimeException startFailure;
    private static Servers servers; // only in the copy of this class that started them

    private final String bootstrapServers;
    private final URI s3Endpoint;
    private final S3Client s3;

    private DmapInfra(String bootstrapServers, URI s3Endpoint) {
        this.bootstrapServers = bootstrapServers;
        this.s3Endpoint = s3Endpoint;
        this.s3 = S3Client.builder()
                .endpointOverride(s3Endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    /** The JVM's infrastructure, started on first use (a failed start is reported again on every call). */
    public static synchronized DmapInfra shared() {
        if (startFailure != null) {
            throw new IllegalStateException("dmap test infrastructure failed to start earlier", startFailure);
        }
        if (shared == null) {
            try {
                shared = joinSystemLoaderCopy();
                if (shared == null) {
                    servers = Servers.start();
                    shared = new DmapInfra(servers.kafka.bootstrapServers(), servers.s3.endpoint());
                }
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return shared;
    }

    /** Wraps the servers of the system class loader's copy of this class; null when this IS that copy. */
    private static DmapInfra joinSystemLoaderCopy() {
        Class<?> root;
        try {
            root = Class.forName(DmapInfra.class.getName(), true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        if (root == DmapInfra.class) {
            return null;
        }
        try {
            Object infra = root.getMethod("shared").invoke(null);
            String bootstrap = (String) root.getMethod("bootstrapServers").invoke(infra);
            URI endpoint = (URI) root.getMethod("s3Endpoint").invoke(infra);
            return new DmapInfra(bootstrap, endpoint);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the shared dmap test infrastructure", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public String accessKey() {
        return S3Server.ACCESS_KEY;
    }

    public String secretKey() {
        return S3Server.SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    /** A path-style client with the static credentials; shared, do not close it. */
    public S3Client s3() {
        return s3;
    }

    /** Creates the bucket unless it exists already. */
    public void createBucket(String bucket) {
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException e) {
            // idempotent by contract
        }
    }

    /**
     * The configuration a dmap service needs to run against this infrastructure (Quarkus keys; pass them as
     * {@code -D} system properties, or as environment variables the Quarkus way, to a separate process).
     */
    public Map<String, String> serviceConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers);
        config.put("quarkus.kafka-streams.bootstrap-servers", bootstrapServers);
        config.put("dmap.s3.endpoint", s3Endpoint.toString());
        config.put("dmap.s3.region", REGION);
        config.put("dmap.s3.access-key", S3Server.ACCESS_KEY);
        config.put("dmap.s3.secret-key", S3Server.SECRET_KEY);
        config.put("dmap.s3.path-style", "true");
        config.put("quarkus.devservices.enabled", "false");
        config.put("quarkus.kafka.devservices.enabled", "false"); // also covers Kafka Streams (it has no own key)
        return Collections.unmodifiableMap(config);
    }
}
