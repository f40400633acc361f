package io.dmap.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The limit for scenario 2: the same number of batch messages, of the same size, produced (acks=all, idempotent, as
 * the planner's producer) and consumed by one consumer with plain kafka-clients on the same broker. Producer and
 * consumer run at the same time, as planner and workers do. The producer goes on past {@code messages} until at least
 * {@link #MIN_SECONDS} have passed, so that the rate is not a one-second burst (a short run mostly measures warm-up).
 */
final class KafkaBaseline {

    static final double MIN_SECONDS = 10;

    private KafkaBaseline() {
    }

    /** Messages per second, from the first send to the last record consumed. */
    record Result(long messages, double seconds) {
        double rate() {
            return messages / seconds;
        }
    }

    static Result run(String bootstrap, String topic, int partitions, int messages, byte[] payload) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        // assign(), not subscribe(): a group's first join can miss a topic created a moment ago and then waits for
        // the next metadata refresh (minutes)
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.ACKS_CONFIG, "all",
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitionList = new java.util.ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                partitionList.add(new TopicPartition(topic, p));
            }
            // wait until every partition has a leader and a start offset, so the clock measures traffic, not topic creation
            long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.partitionsFor(topic).stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
                if (System.nanoTime() > ready) {
                    throw new IllegalStateException("topic " + topic + " has partitions without a leader after 60 s");
                }
                Thread.sleep(100);
            }
            consumer.assign(partitionList);
            consumer.seekToBeginning(partitionList);
            for (TopicPartition tp : partitionList) {
                consumer.position(tp, Duration.ofSeconds(30)); // resolves the start offset now, before producing
            }
            producer.partitionsFor(topic); // the producer's metadata too
            long t0 = System.nanoTime();
            long minNanos = (long) (MIN_SECONDS * 1e9);
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong(-1);
            Thread send = new Thread(() -> {
                long i = 0;
                while (i < messages || System.nanoTime() - t0 < minNanos) {
                    producer.send(new ProducerRecord<>(topic, "run/" + i, payload));
                    i++;
                }
                producer.flush();
                sent.set(i);
            }, "baseline-producer");
            send.start();
            long seen = 0;
            while (sent.get() < 0 || seen < sent.get()) {
                var records = consumer.poll(Duration.ofMillis(200));
                seen += records.count();
                if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(5)) {
                    throw new IllegalStateException("baseline consumed only " + seen + " of " + sent.get());
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            send.join();
            return new Result(seen, seconds);
        }
    }
}
