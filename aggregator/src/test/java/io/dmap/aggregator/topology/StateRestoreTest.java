package io.dmap.aggregator.topology;

import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStatus;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.events.RunConfig;
import io.dmap.common.events.RunEvent;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.events.RunRequested;
import io.dmap.common.json.Json;
import io.dmap.common.json.JsonSerde;
import io.dmap.service.kafka.KafkaClientConfig;
import io.dmap.service.kafka.TopicCreator;
import io.dmap.common.topics.Topics;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An aggregator instance that loses its local state (node replaced) resumes from the changelogs on the real
 * broker: outcomes redelivered after the restart are still recognised as duplicates and counted once.
 */
@ExtendWith(DmapInfraExtension.class)
class StateRestoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path firstStateDir;
    @TempDir
    Path secondStateDir;

    @Test
    void countsStayExactAcrossALostStateDirectory(DmapInfra infra) throws Exception {
        String ns = "restore-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = Topics.of(ns);
        TopicCreator.ensure(KafkaClientConfig.of(infra.bootstrapServers()), topics, 2, 2, (short) 1);
        String id = "run-" + UUID.randomUUID();
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());

        try (KafkaProducer<String, RunEvent> runs = new KafkaProducer<>(producerConfig, new StringSerializer(), JsonSerde.of(RunEvent.class));
             KafkaProducer<String, OutcomeEvent> outcomes = new KafkaProducer<>(producerConfig, new StringSerializer(), JsonSerde.of(OutcomeEvent.class))) {
            KafkaStreams first = start(infra, topics, ns, firstStateDir);
            runs.send(new ProducerRecord<>(topics.runs(), id, RunRequested.of(id, null, T0,
                    new RunConfig(null, 0, null, null, null), Json.parse("{}")))).get();
            runs.send(new ProducerRecord<>(topics.runs(), id, RunPlanned.of(id, 4, 4, T0))).get();
            outcomes.send(new ProducerRecord<>(topics.outcomes(), id, succeeded(id, 0))).get();
            outcomes.send(new ProducerRecord<>(topics.outcomes(), id, succeeded(id, 1))).get();
            await(infra, topics, id, s -> s.itemCounts().succeeded() == 2);
            first.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));

            KafkaStreams second = start(infra, topics, ns, secondStateDir);
            try {
                outcomes.send(new ProducerRecord<>(topics.outcomes(), id, succeeded(id, 0))).get();
                outcomes.send(new ProducerRecord<>(topics.outcomes(), id, ExecutionFinished.failed(batch(id, 1),
                        ExecutionStatus.FAILED, "States.TaskFailed", "second run of batch 1", T0, T0, "w2"))).get();
                outcomes.send(new ProducerRecord<>(topics.outcomes(), id, succeeded(id, 2))).get();
                outcomes.send(new ProducerRecord<>(topics.outcomes(), id, succeeded(id, 3))).get();
                MapRunStatus s = await(infra, topics, id, st -> st.phase() == RunPhase.WRITING_RESULTS);
                assertEquals(4, s.itemCounts().succeeded());
                assertEquals(0, s.itemCounts().failed());
                assertEquals(4, s.executionCounts().succeeded());
                assertFalse(s.stopping(), "the redelivered failure of batch 1 was not counted");
            } finally {
                second.close(Duration.ofSeconds(30));
            }
        }
    }

    private static KafkaStreams start(DmapInfra infra, Topics topics, String ns, Path stateDir) throws InterruptedException {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, ns + "-aggregator");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // a closed dynamic member is only noticed once its session expires: keep that short for the restart
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2000);
        KafkaStreams streams = new KafkaStreams(AggregatorTopology.build(topics), props);
        streams.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                streams.close();
                fail("streams did not reach RUNNING: " + streams.state());
            }
            Thread.sleep(100);
        }
        return streams;
    }

    private static MapRunStatus await(DmapInfra infra, Topics topics, String id, Predicate<MapRunStatus> done) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, MapRunStatus> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                JsonSerde.of(MapRunStatus.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.status()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            MapRunStatus latest = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, MapRunStatus> r : consumer.poll(Duration.ofMillis(500))) {
                    if (id.equals(r.key())) {
                        latest = r.value();
                        if (done.test(latest)) {
                            return latest;
                        }
                    }
                }
            }
            return fail("map run " + id + " did not reach the expected status; last seen: " + latest);
        }
    }

    private static ExecutionFinished succeeded(String id, long batch) {
        return ExecutionFinished.succeeded(batch(id, batch), Json.parse("{}"), T0, T0, "w1");
    }

    private static BatchMessage batch(String id, long index) {
        return BatchMessage.of(id, index, index, 1, Json.parse("{}"), Json.parse("{}"));
    }
}
