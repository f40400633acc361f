package io.dmap.planner.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunRequested;
import io.dmap.common.json.JsonSerde;
import io.dmap.planner.messaging.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The definition (the Map state as posted) of a run, for the console's settings: read back from the run's
 * RunRequested on map-runs, found through the time index from the run's start date on the partition of its id,
 * so that only a few records are read. Definitions never change: kept in a small LRU cache. Empty when the
 * RunRequested is no longer on the topic (retention).
 */
@ApplicationScoped
public class RunDefinitions {

    private static final Logger LOG = Logger.getLogger(RunDefinitions.class);
    /** The producer's timestamp and requestedAt are taken a moment apart; a clock skew between replicas too. */
    static final Duration SLACK = Duration.ofMinutes(1);
    static final int MAX_SCANNED = 20_000;
    static final Duration MAX_TIME = Duration.ofSeconds(5);
    private static final int CACHED = 200;

    private final KafkaClients kafka;
    private final Deserializer<RunEvent> events = JsonSerde.of(RunEvent.class).deserializer();
    private final Map<String, JsonNode> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
            return size() > CACHED;
        }
    };

    public RunDefinitions(KafkaClients kafka) {
        this.kafka = kafka;
    }

    public Optional<JsonNode> find(String mapRunId, Instant startDate) {
        synchronized (cache) {
            JsonNode known = cache.get(mapRunId);
            if (known != null) {
                return Optional.of(known);
            }
        }
        if (startDate == null) {
            return Optional.empty();
        }
        Optional<JsonNode> found;
        try {
            found = read(mapRunId, startDate);
        } catch (RuntimeException e) {
            LOG.warnf("map run %s: cannot read its definition from %s: %s", mapRunId, kafka.topics().runs(), e.toString());
            return Optional.empty();
        }
        found.ifPresent(spec -> {
            synchronized (cache) {
                cache.put(mapRunId, spec);
            }
        });
        return found;
    }

    private Optional<JsonNode> read(String mapRunId, Instant startDate) {
        String topic = kafka.topics().runs();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "dmap-console-definitions"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            int partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).size();
            // the default partitioner's choice for a keyed record: where the planner's producer put the run's events
            TopicPartition tp = new TopicPartition(topic,
                    Utils.toPositive(Utils.murmur2(mapRunId.getBytes(StandardCharsets.UTF_8))) % partitions);
            consumer.assign(List.of(tp));
            OffsetAndTimestamp from = consumer.offsetsForTimes(Map.of(tp, startDate.minus(SLACK).toEpochMilli()),
                    Duration.ofSeconds(5)).get(tp);
            if (from == null) {
                return Optional.empty();
            }
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp);
            consumer.seek(tp, from.offset());
            long deadline = System.nanoTime() + MAX_TIME.toNanos();
            int scanned = 0;
            while (consumer.position(tp) < end && scanned < MAX_SCANNED && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    scanned++;
                    if (mapRunId.equals(r.key()) && r.value() != null
                            && events.deserialize(topic, r.value()) instanceof RunRequested requested) {
                        return Optional.ofNullable(requested.spec());
                    }
                }
            }
            return Optional.empty();
        }
    }
}
