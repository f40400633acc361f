package io.dmap.worker.messaging;

import io.dmap.common.events.MapRunStatus;
import io.dmap.common.json.Json;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.execution.RunStatusLookup;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code map-run-status} → the set of runs whose fate is decided (stopping or terminal). A plain consumer without a
 * group, assigned to every partition from the beginning: each worker sees every run.
 */
@ApplicationScoped
public class RunStatusView implements RunStatusLookup {

    private static final Logger LOG = Logger.getLogger(RunStatusView.class);

    private final KafkaSettings kafka;
    /** Run id → the redrive count of its stopping status (0 until the status carries one). */
    private final Map<String, Integer> finished = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public RunStatusView(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    @Override
    public boolean finished(String mapRunId, int redriveCount) {
        Integer stoppedAt = finished.get(mapRunId);
        return stoppedAt != null && redriveCount <= stoppedAt;
    }

    /** Starts reading; waits (bounded) until the view has read what the topic held at start. */
    public void start(Duration catchUp) throws InterruptedException {
        running = true;
        consumer = new KafkaConsumer<>(kafka.clients().consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "dmap-worker-status-" + kafka.workerName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::readLoop, "dmap-run-status-view");
        thread.setDaemon(true);
        thread.start();
        if (!caughtUp.await(catchUp.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warnf("the run status view has not caught up with %s after %s; starting anyway", kafka.topics().status(), catchUp);
        }
    }

    private void readLoop() {
        try {
            String topic = kafka.topics().status();
            List<TopicPartition> partitions = partitions(topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    apply(r);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the run status view stopped; batches of finished runs will be run", e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The topic's partitions, waiting while its metadata is not yet visible (it was created a moment ago). */
    private List<TopicPartition> partitions(String topic) throws InterruptedException {
        while (running) {
            List<org.apache.kafka.common.PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            Thread.sleep(500);
        }
        return List.of();
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            finished.remove(r.key());
            return;
        }
        try {
            MapRunStatus status = Json.fromBytes(r.value(), MapRunStatus.class);
            if (status.stopping() || (status.status() != null && status.terminal())) {
                finished.put(r.key(), status.redriveCount());
            } else {
                finished.remove(r.key());
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "map run %s: unreadable status at offset %d of %s", r.key(), r.offset(), r.topic());
        }
    }

    public void stop() throws InterruptedException {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }
}
