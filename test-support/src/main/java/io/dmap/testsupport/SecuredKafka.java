package io.dmap.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An in-process KRaft broker that only lets in authenticated clients, for tests of dmap on a secured cluster:
 * <ul>
 *   <li>a SASL_SSL listener (SCRAM-SHA-512, user {@link #USER}), as on MSK, Confluent Cloud or Strimzi with SCRAM;</li>
 *   <li>an SSL listener that requires a client certificate (mTLS), as on Strimzi's tls listener or Aiven;</li>
 *   <li>a PLAINTEXT listener for the broker's own replication and for the test's checks.</li>
 * </ul>
 * The broker and client certificates are self-signed, made with the JDK's keytool in a temporary directory, for
 * 127.0.0.1 (hostname verification stays on). Each instance is its own broker: close it.
 */
public final class SecuredKafka implements AutoCloseable {

    public static final String USER = "dmap-service";
    /** A test secret: tests grep logs and outputs for it. */
    public static final String PASSWORD = "scram-Secret-7f3a9c41d2";
    /** Of every key and trust store (a test secret too). */
    public static final String STORE_PASSWORD = "store-Secret-5b8e02";

    private static final ListenerName SASL_SSL = ListenerName.normalised("SASL_SSL");
    private static final ListenerName SSL = ListenerName.normalised("SSL");

    private final KafkaClusterTestKit cluster;
    private final Path dir;
    private final String plaintext;
    private final String saslSsl;
    private final String ssl;

    private SecuredKafka(KafkaClusterTestKit cluster, Path dir, String plaintext, String saslSsl, String ssl) {
        this.cluster = cluster;
        this.dir = dir;
        this.plaintext = plaintext;
        this.saslSsl = saslSsl;
        this.ssl = ssl;
    }

    public static SecuredKafka start() throws Exception {
        Path dir = Files.createTempDirectory("dmap-secured-kafka-");
        Stores.make(dir);
        try (AutoCloseable quiet = BrokerLogs.quiet()) {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setBaseDirectory(dir.resolve("data"))
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            String internal = nodes.brokerListenerName().value();
            String controller = nodes.controllerListenerName().value();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            EmbeddedKafka.BROKER_CONFIG.forEach(builder::setConfigProp);
            builder.setConfigProp("listeners", internal + "://127.0.0.1:0," + controller + "://127.0.0.1:0,"
                    + "SASL_SSL://127.0.0.1:0,SSL://127.0.0.1:0");
            builder.setConfigProp("listener.security.protocol.map", internal + ":PLAINTEXT," + controller + ":PLAINTEXT,"
                    + "SASL_SSL:SASL_SSL,SSL:SSL");
            builder.setConfigProp("sasl.enabled.mechanisms", "SCRAM-SHA-512");
            builder.setConfigProp("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            for (String listener : List.of("sasl_ssl", "ssl")) {
                String p = "listener.name." + listener + ".";
                builder.setConfigProp(p + "ssl.keystore.type", "PKCS12");
                builder.setConfigProp(p + "ssl.keystore.location", dir.resolve("broker.p12").toString());
                builder.setConfigProp(p + "ssl.keystore.password", STORE_PASSWORD);
                builder.setConfigProp(p + "ssl.key.password", STORE_PASSWORD);
            }
            builder.setConfigProp("listener.name.ssl.ssl.client.auth", "required");
            builder.setConfigProp("listener.name.ssl.ssl.truststore.type", "PKCS12");
            builder.setConfigProp("listener.name.ssl.ssl.truststore.location", dir.resolve("broker-trust.p12").toString());
            builder.setConfigProp("listener.name.ssl.ssl.truststore.password", STORE_PASSWORD);
            builder.setDeleteOnClose(true);
            KafkaClusterTestKit cluster = builder.build();
            try {
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                var broker = cluster.brokers().values().iterator().next();
                SecuredKafka kafka = new SecuredKafka(cluster, dir,
                        "127.0.0.1:" + broker.boundPort(nodes.brokerListenerName()),
                        "127.0.0.1:" + broker.boundPort(SASL_SSL),
                        "127.0.0.1:" + broker.boundPort(SSL));
                kafka.createScramUser();
                return kafka;
            } catch (Exception | Error e) {
                cluster.close();
                throw e;
            }
        }
    }

    private void createScramUser() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintext))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD))).all().get(30, TimeUnit.SECONDS);
            long deadline = System.currentTimeMillis() + 30_000;
            while (admin.describeUserScramCredentials(List.of(USER)).all().get(30, TimeUnit.SECONDS).isEmpty()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("SCRAM user " + USER + " did not appear");
                }
                Thread.sleep(100);
            }
        }
    }

    /** The unauthenticated listener: for the test's own checks, never for the services under test. */
    public String plaintextBootstrapServers() {
        return plaintext;
    }

    /** Kafka client settings for the SASL_SSL listener (SCRAM-SHA-512 as {@link #USER}). */
    public Map<String, String> saslSslClient() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("bootstrap.servers", saslSsl);
        c.put("security.protocol", "SASL_SSL");
        c.put("sasl.mechanism", "SCRAM-SHA-512");
        c.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER + "\" password=\"" + PASSWORD + "\";");
        trust(c);
        return c;
    }

    /** Kafka client settings for the mTLS listener (the client certificate is CN=dmap-client). */
    public Map<String, String> mtlsClient() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("bootstrap.servers", ssl);
        c.put("security.protocol", "SSL");
        trust(c);
        c.put("ssl.keystore.type", "PKCS12");
        c.put("ssl.keystore.location", dir.resolve("client.p12").toString());
        c.put("ssl.keystore.password", STORE_PASSWORD);
        c.put("ssl.key.password", STORE_PASSWORD);
        return c;
    }

    /** The same settings as a service's Quarkus configuration ({@code kafka.} prefix). */
    public static Map<String, String> asServiceConfig(Map<String, String> client) {
        Map<String, String> config = new LinkedHashMap<>();
        client.forEach((k, v) -> config.put("kafka." + k, v));
        return config;
    }

    private void trust(Map<String, String> c) {
        c.put("ssl.truststore.type", "PKCS12");
        c.put("ssl.truststore.location", dir.resolve("client-trust.p12").toString());
        c.put("ssl.truststore.password", STORE_PASSWORD);
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            System.err.println("dmap test infra: closing the secured Kafka failed: " + e);
        }
    }

    /** Key and trust stores made with the JDK's keytool. */
    private static final class Stores {

        static void make(Path dir) throws IOException, InterruptedException {
            keyPair(dir, "broker", "CN=127.0.0.1", "SAN=ip:127.0.0.1,dns:localhost");
            keyPair(dir, "client", "CN=dmap-client", null);
            importCert(dir, "broker", "client-trust.p12");
            importCert(dir, "client", "broker-trust.p12");
        }

        private static void keyPair(Path dir, String alias, String dname, String san) throws IOException, InterruptedException {
            List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048",
                    "-validity", "7", "-dname", dname, "-storetype", "PKCS12",
                    "-keystore", dir.resolve(alias + ".p12").toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD));
            if (san != null) {
                args.addAll(List.of("-ext", san));
            }
            keytool(args);
            keytool(List.of("-exportcert", "-alias", alias, "-keystore", dir.resolve(alias + ".p12").toString(),
                    "-storepass", STORE_PASSWORD, "-file", dir.resolve(alias + ".crt").toString()));
        }

        private static void importCert(Path dir, String alias, String store) throws IOException, InterruptedException {
            keytool(List.of("-importcert", "-noprompt", "-alias", alias, "-file", dir.resolve(alias + ".crt").toString(),
                    "-storetype", "PKCS12", "-keystore", dir.resolve(store).toString(), "-storepass", STORE_PASSWORD));
        }

        private static void keytool(List<String> args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.add("-J-XX:TieredStopAtLevel=1");
            command.addAll(args);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args.get(0) + " failed: " + out);
            }
        }
    }
}
