package io.dmap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.cli.PlannerApi;
import io.dmap.cli.ServiceJars;
import io.dmap.cli.ServiceProcess;
import io.dmap.common.json.Json;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.SecuredKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A map run on a secured cluster, with the API's authentication on: the planner and the aggregator (its Kafka
 * Streams included) reach the broker over SASL_SSL with SCRAM-SHA-512, the worker over mutual TLS, each configured
 * only with {@code kafka.*} properties; the test calls the API with an operate API key. Then no secret (SCRAM
 * password, key store password, S3 secret key, API key) may show in a process's command line, in any service log,
 * in the run's status or in its result files.
 */
class SecuredKafkaIT {

    static final String IN = "secured-in";
    static final String OUT = "secured-out";
    static final int ITEMS = 60;
    static final String API_KEY = "e2e-operate-key-Secret-41c9";

    static DmapInfra infra;
    static SecuredKafka kafka;
    static ServicesUnderTest services;
    static final Set<String> keys = new HashSet<>();

    @BeforeAll
    static void startEverything() throws Exception {
        infra = DmapInfra.shared();
        infra.createBucket(IN);
        infra.createBucket(OUT);
        for (int i = 0; i < ITEMS; i++) {
            String key = String.format("data/%03d.txt", i);
            infra.s3().putObject(b -> b.bucket(IN).key(key), RequestBody.fromString("item " + i));
            keys.add(key);
        }
        kafka = SecuredKafka.start();
        Map<String, String> sasl = SecuredKafka.asServiceConfig(kafka.saslSslClient());
        Map<String, String> mtls = SecuredKafka.asServiceConfig(kafka.mtlsClient());
        services = new ServicesUnderTest(infra, "sec" + System.nanoTime() % 100000, 4)
                .with(ServiceJars.PLANNER, sasl)
                .with(ServiceJars.PLANNER, Map.of(
                        "planner.auth.enabled", "true",
                        "planner.auth.api-keys.e2e.sha256", sha256(API_KEY),
                        "planner.auth.api-keys.e2e.role", "operate"))
                .with(ServiceJars.AGGREGATOR, sasl)
                .with(ServiceJars.WORKER, mtls);
        services.startAll(1);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (services != null) {
            services.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aMapRunSucceedsWithEveryClientAuthenticated() throws Exception {
        String spec = """
                {
                  "Type": "Map",
                  "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "%s", "Prefix": "data/"}},
                  "ItemBatcher": {"MaxItemsPerBatch": 5},
                  "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "Done",
                    "States": {"Done": {"Type": "Pass", "Parameters": {"first.$": "$.Items[0].Key"}, "End": true}}
                  },
                  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "%s", "Prefix": "secured"}}
                }
                """.formatted(IN, OUT);
        assertEquals(401, new PlannerApi(services.plannerUrl()).post("/map-runs", spec).status(), "no token, no run");
        PlannerApi api = new PlannerApi(services.plannerUrl(), API_KEY);
        PlannerApi.Answer created = api.post("/map-runs", spec);
        assertEquals(201, created.status(), () -> "POST /map-runs answered " + created.body());
        JsonNode run;
        try {
            run = api.awaitTerminal(created.body().path("mapRunId").asText(), Duration.ofMinutes(3), status -> { });
        } catch (java.io.IOException e) {
            throw new AssertionError(e.getMessage() + services.logs(), e);
        }
        assertEquals("SUCCEEDED", run.path("status").asText(), () -> run + services.logs());
        assertEquals(ITEMS, run.path("itemCounts").path("succeeded").asLong(), run::toString);
        assertEquals(ITEMS, run.path("itemCounts").path("resultsWritten").asLong(), run::toString);

        Set<String> seen = new HashSet<>();
        for (JsonNode file : manifest(run).path("ResultFiles").path("SUCCEEDED")) {
            JsonNode records = Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(OUT).key(file.path("Key").asText())).asUtf8String());
            for (JsonNode record : records) {
                Json.parse(record.path("Input").asText()).path("Items").forEach(item -> seen.add(item.path("Key").asText()));
            }
        }
        assertEquals(keys, seen);
        assertTopicsLiveOnTheSecuredBroker();
        assertNoSecretAnywhere(run);
    }

    /** Every secret of this run, with where it must never show. */
    static Map<String, String> secrets() {
        return Map.of(
                "the SCRAM password", SecuredKafka.PASSWORD,
                "the key store password", SecuredKafka.STORE_PASSWORD,
                "the S3 secret key", infra.secretKey(),
                "the API key", API_KEY);
    }

    private static void assertNoSecretAnywhere(JsonNode run) throws Exception {
        Map<String, String> places = new java.util.LinkedHashMap<>();
        for (ServiceProcess p : services.processes()) {
            // what every local user sees in ps
            places.put(p.name() + "'s command line", Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' '));
            places.put(p.name() + "'s log", Files.readString(p.log()));
        }
        places.put("the run's status", run.toString());
        String prefix = run.path("resultWriterDetails").path("key").asText().replace("manifest.json", "");
        for (var object : infra.s3().listObjectsV2Paginator(b -> b.bucket(OUT).prefix(prefix)).contents()) {
            places.put("s3://" + OUT + "/" + object.key(),
                    infra.s3().getObjectAsBytes(b -> b.bucket(OUT).key(object.key())).asUtf8String());
        }
        assertTrue(places.size() >= 3 + 3 + 2, () -> places.keySet().toString());
        secrets().forEach((what, secret) -> places.forEach((where, text) ->
                assertFalse(text.contains(secret), what + " shows in " + where)));
    }

    static String sha256(String key) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static JsonNode manifest(JsonNode run) {
        String key = run.path("resultWriterDetails").path("key").asText();
        return Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket(OUT).key(key)).asUtf8String());
    }

    /** The services created their topics here, not on the shared plaintext broker. */
    private static void assertTopicsLiveOnTheSecuredBroker() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.plaintextBootstrapServers()))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertTrue(topics.stream().anyMatch(t -> t.endsWith("map-batches")), topics::toString);
        }
    }
}
