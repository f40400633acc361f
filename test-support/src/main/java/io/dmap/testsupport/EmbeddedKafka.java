package io.dmap.testsupport;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import org.apache.kafka.server.common.MetadataVersion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One KRaft node in combined mode (broker + controller in this JVM), via Kafka's own test kit.
 *
 * <p>Configured for tests: every internal topic (consumer offsets, transaction state, share-group state)
 * has replication 1 and min ISR 1 so that transactions and Kafka Streams {@code exactly_once_v2} work on a
 * single broker; group rebalances start without delay; topic auto-creation is OFF, because every dmap service
 * creates its topics with {@code TopicCreator.ensure} (service-support) and a test must notice when one forgets to.
 * The listeners advertise 127.0.0.1, so clients never depend on how "localhost" resolves.
 */
final class EmbeddedKafka implements KafkaServer {

    /** Broker settings; exposed for the documentation and for the Testcontainers variant. */
    static final Map<String, String> BROKER_CONFIG = Map.ofEntries(
            Map.entry("auto.create.topics.enable", "false"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "5"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "5"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("num.partitions", "1"),
            // behave like a released broker, not like Kafka's own tests of unreleased features
            Map.entry("unstable.api.versions.enable", "false"),
            Map.entry("unstable.feature.versions.enable", "false"));

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
    }

    static EmbeddedKafka start() throws Exception {
        try (AutoCloseable quiet = BrokerLogs.quiet()) {
            return startCluster();
        }
    }

    private static EmbeddedKafka startCluster() throws Exception {
        // our own directory: the kit's default one is deleted by a shutdown hook racing the broker's shutdown
        Path baseDirectory = Files.createTempDirectory("dmap-kafka-");
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setBaseDirectory(baseDirectory)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        builder.setConfigProp("listeners", nodes.brokerListenerName().value() + "://127.0.0.1:0,"
                + nodes.controllerListenerName().value() + "://127.0.0.1:0");
        BROKER_CONFIG.forEach(builder::setConfigProp);
        builder.setDeleteOnClose(true);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            int port = cluster.brokers().values().iterator().next().boundPort(nodes.brokerListenerName());
            return new EmbeddedKafka(cluster, "127.0.0.1:" + port);
        } catch (Exception | Error e) {
            closeQuietly(cluster);
            throw e;
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public String kind() {
        return "in-process KRaft";
    }

    @Override
    public void close() {
        closeQuietly(cluster);
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        try {
            cluster.close();
        } catch (Exception e) {
            System.err.println("dmap test infra: closing Kafka failed: " + e);
        }
    }
}
