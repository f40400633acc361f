package io.dmap.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(DmapInfraExtension.class)
class DmapInfraTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void sharedIsOnePerJvm(DmapInfra infra) {
        assertSame(infra, DmapInfra.shared());
        assertTrue(infra.bootstrapServers().startsWith("127.0.0.1:"), infra.bootstrapServers());
        assertEquals("127.0.0.1", infra.s3Endpoint().getHost());
        Map<String, String> config = infra.serviceConfig();
        assertEquals(infra.bootstrapServers(), config.get("kafka.bootstrap.servers"));
        assertEquals(infra.s3Endpoint().toString(), config.get("dmap.s3.endpoint"));
        assertEquals("dmap", config.get("dmap.s3.access-key"));
        assertEquals("false", config.get("quarkus.kafka.devservices.enabled"));
    }

    /** Quarkus loads test classes in its own class loaders: they must get the same servers, not new ones. */
    @Test
    void anotherClassLoaderJoinsTheSameServers(DmapInfra infra) throws Exception {
        URL classes = DmapInfra.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new ChildFirstLoader(classes)) {
            Class<?> copy = isolated.loadClass(DmapInfra.class.getName());
            assertNotSame(DmapInfra.class, copy);
            Object other = copy.getMethod("shared").invoke(null);
            assertEquals(infra.bootstrapServers(), copy.getMethod("bootstrapServers").invoke(other));
            assertEquals(infra.s3Endpoint(), copy.getMethod("s3Endpoint").invoke(other));
        }
    }

    @Test
    void kafkaRoundTripOnThreePartitions(DmapInfra infra) throws Exception {
        String topic = "infra-test-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
            assertEquals(3, admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size());
        }
        try (KafkaProducer<String, String> producer = producer(infra, Map.of())) {
            producer.send(new ProducerRecord<>(topic, 2, "k", "hello")).get();
        }
        List<ConsumerRecord<String, String>> records = consumeAll(infra, topic, 1, IsolationLevel.READ_UNCOMMITTED);
        assertEquals(2, records.get(0).partition());
        assertEquals("k", records.get(0).key());
        assertEquals("hello", records.get(0).value());
    }

    /** Transactions need the transaction state log (replication 1, min ISR 1): the basis of exactly_once_v2. */
    @Test
    void transactionalProducerCommits(DmapInfra infra) throws Exception {
        String topic = "infra-tx-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = producer(infra,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "infra-tx-" + UUID.randomUUID()))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "aborted", "no"));
            producer.abortTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, i, "k" + i, "v" + i));
            }
            producer.commitTransaction();
        }
        List<ConsumerRecord<String, String>> records = consumeAll(infra, topic, 3, IsolationLevel.READ_COMMITTED);
        assertEquals(List.of("v0", "v1", "v2"), records.stream().map(ConsumerRecord::value).sorted().toList());
    }

    @Test
    void s3ListsEveryKeyAcrossPages(DmapInfra infra) {
        String bucket = "infra-test-" + UUID.randomUUID().toString().substring(0, 8);
        infra.createBucket(bucket);
        infra.createBucket(bucket); // idempotent
        S3Client s3 = infra.s3();
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 0; i < 1_200; i++) {
            String key = (i % 3 == 0 ? "dir/é ü 漢字 " : i % 3 == 1 ? "a+b=c&d/x y " : "plain/") + i + ".txt";
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("body " + key));
            expected.add(key);
        }
        List<String> listed = new ArrayList<>();
        int pages = 0;
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket))) {
            pages++;
            page.contents().stream().map(S3Object::key).forEach(listed::add);
        }
        assertTrue(pages > 1, "expected several pages, got " + pages);
        assertEquals(1_200, listed.size());
        assertEquals(List.copyOf(expected), listed); // S3 lists keys in UTF-8 binary order, like String for these
        String key = "dir/é ü 漢字 3.txt";
        String body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
        assertEquals("body " + key, body);
    }

    @Test
    void s3AcceptsAChunkedUploadOfUnknownLength(DmapInfra infra) throws Exception {
        String bucket = "infra-chunked-" + UUID.randomUUID().toString().substring(0, 8);
        infra.createBucket(bucket);
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        infra.s3().putObject(b -> b.bucket(bucket).key("big.bin"),
                RequestBody.fromContentProvider(() -> new java.io.ByteArrayInputStream(data), "application/octet-stream"));
        byte[] read = infra.s3().getObjectAsBytes(b -> b.bucket(bucket).key("big.bin")).asByteArray();
        assertTrue(java.util.Arrays.equals(data, read), "round trip differs, read " + read.length + " bytes");
    }

    /** Loads this module's classes itself, like a Quarkus application class loader does. */
    private static final class ChildFirstLoader extends URLClassLoader {
        ChildFirstLoader(URL classes) {
            super(new URL[] {classes}, ClassLoader.getSystemClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.dmap.testsupport.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }

    private static KafkaProducer<String, String> producer(DmapInfra infra, Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(config);
    }

    private static List<ConsumerRecord<String, String>> consumeAll(DmapInfra infra, String topic, int count,
                                                                 IsolationLevel isolation) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "infra-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(500)).forEach(records::add); // nothing beyond what was committed
            consumer.commitSync();
        }
        assertEquals(count, records.size(), "records read from " + topic + ": " + records);
        return records;
    }
}
