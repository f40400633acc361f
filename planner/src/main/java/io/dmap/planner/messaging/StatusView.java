package io.dmap.planner.messaging;

import io.dmap.common.events.MapRunStatus;
import io.dmap.common.json.Json;
import io.dmap.service.kafka.CompactedTopicReader;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * {@code map-run-status} ({@link MapRunStatus}, key = map run id) → the latest snapshot per run, in memory, read by a
 * {@link CompactedTopicReader} (every partition, from the beginning, {@code read_committed}: the aggregator publishes
 * snapshots in exactly-once transactions, and a snapshot of an aborted one is never served). Listeners hear each new
 * snapshot.
 */
@ApplicationScoped
public class StatusView {

    private static final Logger LOG = Logger.getLogger(StatusView.class);

    private final KafkaClients kafka;
    private final Map<String, MapRunStatus> latest = new ConcurrentHashMap<>();
    private final List<Consumer<MapRunStatus>> listeners = new CopyOnWriteArrayList<>();
    private CompactedTopicReader reader;

    public StatusView(KafkaClients kafka) {
        this.kafka = kafka;
    }

    public synchronized void start() {
        if (reader != null) {
            return;
        }
        reader = new CompactedTopicReader(kafka.topics().status(),
                kafka.config().consumer(Map.of()), "dmap-planner-status-view", this::apply);
        reader.start();
        reader.readToEnd().thenRun(() -> LOG.infof("status view caught up with %s (%d runs)", kafka.topics().status(),
                latest.size()));
    }

    public Optional<MapRunStatus> get(String mapRunId) {
        return Optional.ofNullable(latest.get(mapRunId));
    }

    public Collection<MapRunStatus> all() {
        return latest.values();
    }

    /** True once every snapshot that existed when the view started has been read. */
    public boolean caughtUp() {
        CompactedTopicReader r = reader;
        return r != null && r.caughtUp();
    }

    public boolean awaitCaughtUp(Duration timeout) {
        CompactedTopicReader r = reader;
        if (r == null) {
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!r.caughtUp()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
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

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            latest.remove(record.key());
            return;
        }
        MapRunStatus status = Json.fromBytes(record.value(), MapRunStatus.class);
        latest.put(record.key(), status);
        for (Consumer<MapRunStatus> listener : listeners) {
            try {
                listener.accept(status);
            } catch (RuntimeException e) {
                LOG.warnf(e, "map run %s: a status listener failed", record.key());
            }
        }
    }

    @PreDestroy
    synchronized void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
