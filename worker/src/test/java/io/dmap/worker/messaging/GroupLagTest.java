package io.dmap.worker.messaging;

import io.dmap.service.kafka.KafkaClientConfig;
import io.dmap.service.kafka.TopicCreator;
import io.dmap.common.topics.Topics;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import io.dmap.service.DmapConfig;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.config.WorkerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The group lag metric and the topics-exist readiness signal, against the real broker. */
@ExtendWith(DmapInfraExtension.class)
class GroupLagTest {

    @Test
    void lagIsTheGroupsUncommittedBatchesAndTheTopicsMustExist(DmapInfra infra) throws Exception {
        String ns = "lag-" + UUID.randomUUID().toString().substring(0, 8);
        DmapConfig dmap = TestConfigs.dmap(ns, 2);
        WorkerConfig config = TestConfigs.worker("group-" + ns, "w", Duration.ofSeconds(5));
        KafkaSettings kafka = TestConfigs.kafka(infra.bootstrapServers(), dmap, config);
        GroupLag lag = new GroupLag(kafka, config);
        lag.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     infra.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            lag.refresh();
            assertFalse(lag.topicsExist(), "no topics yet");
            assertEquals(-1, lag.lag());

            Topics topics = Topics.of(ns);
            TopicCreator.ensure(KafkaClientConfig.of(infra.bootstrapServers()), topics, 2, 2, (short) 1);
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topics.batches(), i < 3 ? 0 : 1, "k", new byte[]{1})).get();
            }
            await(() -> { lag.refresh(); return lag.topicsExist() && lag.lag() == 5; }, () -> "lag " + lag.lag());

            admin.alterConsumerGroupOffsets("group-" + ns,
                    Map.of(new TopicPartition(topics.batches(), 0), new OffsetAndMetadata(2))).all().get();
            await(() -> { lag.refresh(); return lag.lag() == 3; }, () -> "lag " + lag.lag());
            assertTrue(lag.topicsExist());
        } finally {
            lag.stop();
        }
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met after 30 s: " + state.get());
    }
}
