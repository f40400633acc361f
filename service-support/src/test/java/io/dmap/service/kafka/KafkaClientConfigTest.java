package io.dmap.service.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaClientConfigTest {

    private static final Map<String, Object> QUARKUS_MAP = Map.of(
            "bootstrap.servers", "b1:9093,b2:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter2\";",
            "client.rack", "use1-az1",
            "group.id", "dmap-planner",
            "streams.num.stream.threads", "1",
            "consumer.fetch.max.wait.ms", "100",
            "producer.linger.ms", "20",
            "admin.request.timeout.ms", "5000");

    @Test
    void everyRoleGetsTheSharedSecuritySettings() {
        KafkaClientConfig kafka = KafkaClientConfig.of(QUARKUS_MAP);
        for (Map<String, Object> client : new Map[]{kafka.producer(Map.of()), kafka.consumer(Map.of()), kafka.admin(Map.of())}) {
            assertEquals("b1:9093,b2:9093", client.get("bootstrap.servers"));
            assertEquals("SASL_SSL", client.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
            assertEquals("use1-az1", client.get("client.rack"));
        }
        assertEquals("b1:9093,b2:9093", kafka.bootstrapServers());
    }

    @Test
    void roleOverridesApplyToTheirRoleOnly() {
        KafkaClientConfig kafka = KafkaClientConfig.of(QUARKUS_MAP);
        assertEquals("20", kafka.producer(Map.of()).get("linger.ms"));
        assertEquals("100", kafka.consumer(Map.of()).get("fetch.max.wait.ms"));
        assertEquals("5000", kafka.admin(Map.of()).get("request.timeout.ms"));
        assertFalse(kafka.consumer(Map.of()).containsKey("linger.ms"));
        assertFalse(kafka.producer(Map.of()).containsKey("fetch.max.wait.ms"));
        assertFalse(kafka.producer(Map.of()).containsKey("request.timeout.ms"));
        assertTrue(kafka.consumer(Map.of()).keySet().stream().noneMatch(k -> k.startsWith("producer.") || k.startsWith("streams.")));
    }

    @Test
    void dmapsOwnSettingsWin() {
        KafkaClientConfig kafka = KafkaClientConfig.of(QUARKUS_MAP);
        assertEquals(5, kafka.producer(Map.of("linger.ms", 5)).get("linger.ms"));
        assertEquals("dmap-workers", kafka.consumer(Map.of("group.id", "dmap-workers")).get("group.id"));
    }

    @Test
    void theApplicationNameIsNoConsumerGroup() {
        // Quarkus puts quarkus.application.name in group.id; an assign()ed reader must not become a group member
        assertFalse(KafkaClientConfig.of(QUARKUS_MAP).consumer(Map.of()).containsKey("group.id"));
    }

    @Test
    void noBrokerConfiguredMeansLocalhost() {
        assertEquals(KafkaClientConfig.DEFAULT_BOOTSTRAP_SERVERS, KafkaClientConfig.of(Map.of()).bootstrapServers());
        assertEquals("h:1", KafkaClientConfig.of("h:1").admin(Map.of()).get("bootstrap.servers"));
    }

    @Test
    void printsKeysNeverValues() {
        String printed = KafkaClientConfig.of(QUARKUS_MAP).toString();
        assertTrue(printed.contains("sasl.jaas.config"), printed);
        assertFalse(printed.contains("hunter2"), printed);
    }
}
