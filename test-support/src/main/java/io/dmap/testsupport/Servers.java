package io.dmap.testsupport;

/**
 * The running Kafka broker and S3 server, owned by the class loader that started them (see {@link DmapInfra}).
 * Stopped by a JVM shutdown hook.
 */
final class Servers {

    final KafkaServer kafka;
    final S3Server s3;

    private Servers(KafkaServer kafka, S3Server s3) {
        this.kafka = kafka;
        this.s3 = s3;
    }

    static Servers start() {
        long t0 = System.nanoTime();
        Thread thread = Thread.currentThread();
        ClassLoader callerLoader = thread.getContextClassLoader();
        // Kafka and Jetty load plugin classes through the context loader; their threads inherit it. They must see
        // the classes of THIS loader, not those of a test framework's loader that may be closed later.
        thread.setContextClassLoader(Servers.class.getClassLoader());
        KafkaServer kafka = null;
        try {
            kafka = Boolean.getBoolean(DmapInfra.DOCKER_PROPERTY) ? startContainer() : EmbeddedKafka.start();
            long kafkaMs = (System.nanoTime() - t0) / 1_000_000;
            S3Server s3 = S3Server.start();
            Servers servers = new Servers(kafka, s3);
            Runtime.getRuntime().addShutdownHook(new Thread(servers::stop, "dmap-infra-shutdown"));
            System.out.printf("dmap test infra: kafka=%s (%s, started in %d ms) s3=%s (S3Proxy %s, key %s, region %s); "
                            + "ready in %d ms%n", kafka.bootstrapServers(), kafka.kind(), kafkaMs, s3.endpoint(),
                    s3.store(), S3Server.ACCESS_KEY, DmapInfra.REGION, (System.nanoTime() - t0) / 1_000_000);
            return servers;
        } catch (Exception e) {
            if (kafka != null) {
                kafka.close();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot start dmap test infrastructure: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(callerLoader);
        }
    }

    private static KafkaServer startContainer() {
        try {
            return ContainerKafka.start();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException(DmapInfra.DOCKER_PROPERTY + "=true needs the test dependency "
                    + "org.testcontainers:testcontainers-kafka (version from the Quarkus BOM) in this module", e);
        }
    }

    private void stop() {
        s3.close();
        kafka.close();
    }
}
