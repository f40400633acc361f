package io.dmap.service.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every Kafka client of a dmap service is built from: the service's {@code kafka.*} configuration
 * (bootstrap servers, {@code security.protocol}, {@code ssl.*}, {@code sasl.*}, {@code client.rack}, ...), so a
 * secured cluster is configured once for all producers, consumers and admin clients.
 * <p>
 * Keys under {@code kafka.producer.*}, {@code kafka.consumer.*} and {@code kafka.admin.*} apply to that kind of
 * client only, without the prefix: the prefixes Kafka Streams reads, so the aggregator's streams (which Quarkus builds
 * from the same {@code kafka.*} map) honour them too. What dmap sets for a client itself (group ids, client ids,
 * isolation level, acks, idempotence, transactions) wins over both: dmap's delivery guarantees rest on those.
 * {@code group.id} is never taken from the shared settings (Quarkus puts the application name there): a client
 * that reads as a group names its group itself.
 */
public final class KafkaClientConfig {

    /** The broker a service uses when none is configured (the services' historical default). */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

    private static final String PRODUCER = "producer.";
    private static final String CONSUMER = "consumer.";
    private static final String ADMIN = "admin.";
    /** Kafka Streams settings ({@code kafka-streams.*}) show up in Quarkus's map as {@code streams.*}: not for plain clients. */
    private static final List<String> NOT_SHARED = List.of(PRODUCER, CONSUMER, ADMIN, "streams.");

    private final Map<String, Object> shared;
    private final Map<String, Object> producer;
    private final Map<String, Object> consumer;
    private final Map<String, Object> admin;

    private KafkaClientConfig(Map<String, ?> kafka) {
        Map<String, Object> common = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (value != null && !key.equals("group.id") && NOT_SHARED.stream().noneMatch(key::startsWith)) {
                common.put(key, value);
            }
        });
        common.putIfAbsent("bootstrap.servers", DEFAULT_BOOTSTRAP_SERVERS);
        this.shared = Map.copyOf(common);
        this.producer = role(kafka, PRODUCER);
        this.consumer = role(kafka, CONSUMER);
        this.admin = role(kafka, ADMIN);
    }

    /** @param kafka the {@code kafka.*} settings without the prefix, as Quarkus hands them out */
    public static KafkaClientConfig of(Map<String, ?> kafka) {
        return new KafkaClientConfig(kafka);
    }

    /** Only a broker address: a plaintext cluster (tests, tools). */
    public static KafkaClientConfig of(String bootstrapServers) {
        return new KafkaClientConfig(Map.of("bootstrap.servers", bootstrapServers));
    }

    public String bootstrapServers() {
        return String.valueOf(shared.get("bootstrap.servers"));
    }

    /** The settings of a producer: shared, then {@code kafka.producer.*}, then dmap's own for this producer. */
    public Map<String, Object> producer(Map<String, ?> dmapSettings) {
        return merge(producer, dmapSettings);
    }

    /** The settings of a consumer: shared, then {@code kafka.consumer.*}, then dmap's own for this consumer. */
    public Map<String, Object> consumer(Map<String, ?> dmapSettings) {
        return merge(consumer, dmapSettings);
    }

    /** The settings of an admin client: shared, then {@code kafka.admin.*}, then dmap's own. */
    public Map<String, Object> admin(Map<String, ?> dmapSettings) {
        return merge(admin, dmapSettings);
    }

    private Map<String, Object> merge(Map<String, Object> role, Map<String, ?> dmapSettings) {
        Map<String, Object> config = new HashMap<>(shared);
        config.putAll(role);
        config.putAll(dmapSettings);
        return config;
    }

    private static Map<String, Object> role(Map<String, ?> kafka, String prefix) {
        Map<String, Object> overrides = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (value != null && key.startsWith(prefix) && key.length() > prefix.length()) {
                overrides.put(key.substring(prefix.length()), value);
            }
        });
        return Map.copyOf(overrides);
    }

    /** The configured keys (never the values: {@code sasl.jaas.config} and {@code ssl.*.password} hold secrets). */
    @Override
    public String toString() {
        return "KafkaClientConfig" + new java.util.TreeSet<>(shared.keySet());
    }
}
