package io.dmap.planner.workflow;

import io.dmap.service.kafka.KafkaClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Which parent executions this replica drives: a member of the consumer group {@code groupId} on {@code executions},
 * used for its partition assignment only (the records are read by {@link ExecutionStore}). A replica drives the
 * executions of the partitions the group gives it; when one moves, the new owner resumes them from their records.
 */
final class DriverGroup implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DriverGroup.class);

    private final KafkaClientConfig kafka;
    private final String topic;
    private final String groupId;
    private final Consumer<Set<Integer>> assigned;
    private final Consumer<Set<Integer>> revoked;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    DriverGroup(KafkaClientConfig kafka, String topic, String groupId, Consumer<Set<Integer>> assigned,
                Consumer<Set<Integer>> revoked) {
        this.kafka = kafka;
        this.topic = topic;
        this.groupId = groupId;
        this.assigned = assigned;
        this.revoked = revoked;
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "dmap-workflow-drivers");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                ConsumerConfig.CLIENT_ID_CONFIG, "dmap-workflow-drivers")),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    revoked.accept(numbers(partitions));
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    revoked.accept(numbers(partitions));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    c.seekToEnd(partitions); // membership only: the store reads the records
                    if (!partitions.isEmpty()) {
                        LOG.infof("workflow drivers %s: now driving the executions of %s", groupId, partitions);
                    }
                    assigned.accept(numbers(partitions));
                }
            });
            while (running) {
                try {
                    c.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    // close()
                } catch (RuntimeException e) {
                    LOG.errorf(e, "workflow drivers %s failed to poll; retrying", groupId);
                    pause();
                }
            }
        } finally {
            consumer = null;
        }
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
