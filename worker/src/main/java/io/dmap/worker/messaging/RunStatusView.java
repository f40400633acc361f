package io.dmap.worker.messaging;

import io.dmap.common.events.MapRunStatus;
import io.dmap.common.json.Json;
import io.dmap.service.kafka.CompactedTopicReader;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.execution.RunStatusLookup;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code map-run-status} → the set of runs whose fate is decided (stopping or terminal), read by a
 * {@link CompactedTopicReader} (every partition, from the beginning, read_committed): each worker sees every run.
 */
@ApplicationScoped
public class RunStatusView implements RunStatusLookup {

    private static final Logger LOG = Logger.getLogger(RunStatusView.class);

    private final KafkaSettings kafka;
    /** Run id → the redrive count of its stopping status (0 until the status carries one). */
    private final Map<String, Integer> finished = new ConcurrentHashMap<>();
    private volatile CompactedTopicReader reader;

    public RunStatusView(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    /** Run id → its latest redrive count (0 until it is redriven). */
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    /**
     * The run is stopping or over for this attempt, or a later attempt (a redrive) has begun: a batch of an earlier
     * attempt is not run (the aggregator would drop its outcome, and the run's definition may be gone).
     */
    @Override
    public boolean finished(String mapRunId, int redriveCount) {
        Integer stoppedAt = finished.get(mapRunId);
        if (stoppedAt != null && redriveCount <= stoppedAt) {
            return true;
        }
        Integer attempt = attempts.get(mapRunId);
        return attempt != null && redriveCount < attempt;
    }

    /** Starts reading; waits (bounded) until the view has read what the topic held at start. */
    public void start(Duration catchUp) throws InterruptedException {
        reader = new CompactedTopicReader(kafka.topics().status(),
                kafka.clients().consumer(Map.of()), "dmap-worker-status-" + kafka.workerName(), this::apply);
        reader.start();
        if (!reader.readToEnd(catchUp)) {
            LOG.warnf("the run status view has not caught up with %s after %s; starting anyway", kafka.topics().status(), catchUp);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            finished.remove(r.key());
            attempts.remove(r.key());
            return;
        }
        MapRunStatus status = Json.fromBytes(r.value(), MapRunStatus.class);
        attempts.merge(r.key(), status.redriveCount(), Math::max);
        if (status.stopping() || (status.status() != null && status.terminal())) {
            finished.put(r.key(), status.redriveCount());
        } else {
            finished.remove(r.key());
        }
    }

    public void stop() {
        if (reader != null) {
            reader.close();
        }
    }
}
