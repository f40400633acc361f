package io.dmap.planner.messaging;

import io.dmap.common.events.MapRunStatus;
import io.dmap.common.json.Json;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code map-run-status} ({@link MapRunStatus}, key = map run id) → the latest snapshot per run, in memory.
 * A consumer without a group, assigned to every partition from the beginning (the topic is compacted, so
 * this is one snapshot per run), on its own thread. Listeners hear each new snapshot.
 */
@ApplicationScoped
public class StatusView {

    private static final Logger LOG = Logger.getLogger(StatusView.class);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);

    private final KafkaClients kafka;
    private final Map<String, MapRunStatus> latest = new ConcurrentHashMap<>();
    private final List<Consumer<MapRunStatus>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread thread;

    public StatusView(KafkaClients kafka) {
        this.kafka = kafka;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "dmap-status-view");
        thread.setDaemon(true);
        thread.start();
    }

    public Optional<MapRunStatus> get(String mapRunId) {
        return Optional.ofNullable(latest.get(mapRunId));
    }

    public Collection<MapRunStatus> all() {
        return latest.values();
    }

    /** True once every snapshot that existed when the view started has been read. */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    public boolean awaitCaughtUp(Duration timeout) {
        try {
            return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void addListener(Consumer<MapRunStatus> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<MapRunStatus> listener) {
        listeners.remove(listener);
    }

    private void run() {
        String topic = kafka.topics().status();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.config().consumer(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "dmap-planner-status-view")),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            Map<TopicPartition, Long> targets = null;
            long nextRefresh = 0;
            while (running) {
                try {
                    if (System.currentTimeMillis() >= nextRefresh) {
                        assignAll(c, topic);
                        nextRefresh = System.currentTimeMillis() + PARTITION_REFRESH.toMillis();
                    }
                    if (targets == null && !c.assignment().isEmpty()) {
                        targets = c.endOffsets(c.assignment());
                    }
                    for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
                        apply(record);
                    }
                    if (targets != null && caughtUp.getCount() > 0 && reached(c, targets)) {
                        LOG.infof("status view caught up with %s (%d runs)", topic, latest.size());
                        caughtUp.countDown();
                    }
                } catch (WakeupException e) {
                    // close() woke us: the loop ends as running is false
                } catch (RuntimeException e) {
                    LOG.errorf(e, "status view of %s failed to poll; retrying", topic);
                    pause();
                }
            }
        }
    }

    private static void assignAll(KafkaConsumer<String, byte[]> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            return;
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        if (c.assignment().containsAll(partitions)) {
            return;
        }
        List<TopicPartition> added = partitions.stream().filter(p -> !c.assignment().contains(p)).toList();
        c.assign(partitions);
        c.seekToBeginning(added);
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> targets) {
        return targets.entrySet().stream().allMatch(t -> c.position(t.getKey()) >= t.getValue());
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            latest.remove(record.key());
            return;
        }
        MapRunStatus status;
        try {
            status = Json.fromBytes(record.value(), MapRunStatus.class);
        } catch (RuntimeException e) {
            LOG.warnf(e, "map run %s: unreadable status snapshot at %s-%d@%d, skipped", record.key(), record.topic(),
                    record.partition(), record.offset());
            return;
        }
        latest.put(record.key(), status);
        for (Consumer<MapRunStatus> listener : listeners) {
            try {
                listener.accept(status);
            } catch (RuntimeException e) {
                LOG.warnf(e, "map run %s: a status listener failed", record.key());
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @PreDestroy
    void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
