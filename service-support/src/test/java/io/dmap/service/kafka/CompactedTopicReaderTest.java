package io.dmap.service.kafka;

import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader of compacted topics against the real broker: committed records only, in order, and a catch-up latch. */
@ExtendWith(DmapInfraExtension.class)
class CompactedTopicReaderTest {

    private static String topic(DmapInfra infra, int partitions) throws Exception {
        String topic = "reader-test-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    private static KafkaProducer<String, String> transactional(DmapInfra infra) {
        KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "reader-test-" + UUID.randomUUID()),
                new StringSerializer(), new StringSerializer());
        p.initTransactions();
        return p;
    }

    /**
     * Records written after the reader started come from a plain producer: a transaction's commit returns before its
     * markers are written, so the end offset a reader asks for right after may not cover it yet.
     */
    private static KafkaProducer<String, String> plain(DmapInfra infra) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    @Test
    void aRecordOfAnAbortedTransactionIsNeverHandedToTheCallback(DmapInfra infra) throws Exception {
        String topic = topic(infra, 2);
        Map<String, String> latest = new ConcurrentHashMap<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        // the caller's config asks for read_uncommitted and a group: the reader overrides both
        Map<String, Object> callerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted", ConsumerConfig.GROUP_ID_CONFIG, "not-used");
        try (KafkaProducer<String, String> producer = transactional(infra);
             CompactedTopicReader reader = new CompactedTopicReader(topic, callerConfig, "reader-test", r -> {
                 String value = new String(r.value(), StandardCharsets.UTF_8);
                 seen.add(value);
                 latest.put(r.key(), value);
             })) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "run-1", "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "run-1", "aborted"));
            producer.flush(); // on the broker, in the log, before the abort
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "run-2", "committed-2"));
            producer.commitTransaction();

            reader.start();
            assertTrue(reader.readToEnd(Duration.ofSeconds(30)), "caught up");
            assertTrue(reader.caughtUp());
            assertEquals(Map.of("run-1", "committed-1", "run-2", "committed-2"), latest);
            assertEquals(List.of(), seen.stream().filter("aborted"::equals).toList(), "the aborted snapshot is never seen");

            // written after the start: readToEnd waits for it
            try (KafkaProducer<String, String> later = plain(infra)) {
                later.send(new ProducerRecord<>(topic, "run-1", "committed-3")).get();
            }
            assertTrue(reader.readToEnd(Duration.ofSeconds(30)));
            assertEquals("committed-3", latest.get("run-1"), "readToEnd returns only once the newer record is applied");
        }
    }

    @Test
    void readsOnlyTheAcceptedPartitionsAndCatchesUpOnAnEmptyTopic(DmapInfra infra) throws Exception {
        String topic = topic(infra, 3);
        List<Integer> partitions = new CopyOnWriteArrayList<>();
        try (KafkaProducer<String, String> producer = plain(infra);
             CompactedTopicReader reader = new CompactedTopicReader(topic,
                     Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()), "reader-test-p1",
                     p -> p == 1, r -> partitions.add(r.partition()))) {
            reader.start();
            assertTrue(reader.readToEnd(Duration.ofSeconds(30)), "an empty topic is caught up at once");
            for (int p = 0; p < 3; p++) {
                producer.send(new ProducerRecord<>(topic, p, "k" + p, "v" + p)).get();
            }
            assertTrue(reader.readToEnd(Duration.ofSeconds(30)));
            assertEquals(List.of(1), partitions);
        }
    }
}
