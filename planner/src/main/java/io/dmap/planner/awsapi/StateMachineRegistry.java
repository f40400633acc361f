package io.dmap.planner.awsapi;

import io.dmap.common.json.Json;
import io.dmap.planner.config.PlannerConfig;
import io.dmap.planner.messaging.KafkaClients;
import io.dmap.service.kafka.CompactedTopicReader;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code state-machines} (compacted, {@link StateMachineRecord}, key = state machine ARN, a tombstone once deleted) →
 * every state machine in memory, read by a {@link CompactedTopicReader}. A write returns once the broker acknowledged
 * it and this replica's view has read it back, so the caller's next Describe sees its own write; another replica sees
 * it as soon as its reader gets there.
 */
@ApplicationScoped
public class StateMachineRegistry {

    private static final Duration READ_BACK = Duration.ofSeconds(30);

    private final KafkaClients kafka;
    private final PlannerConfig config;
    private final Map<String, StateMachineRecord> machines = new ConcurrentHashMap<>();
    private CompactedTopicReader reader;

    public StateMachineRegistry(KafkaClients kafka, PlannerConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    synchronized void start() {
        if (reader == null) {
            reader = new CompactedTopicReader(kafka.topics().stateMachines(), kafka.config().consumer(Map.of()),
                    "dmap-planner-state-machines", this::apply);
            reader.start();
        }
    }

    public Optional<StateMachineRecord> get(String stateMachineArn) {
        awaitCaughtUp();
        return Optional.ofNullable(machines.get(stateMachineArn));
    }

    /** Every state machine, by name. */
    public List<StateMachineRecord> all() {
        awaitCaughtUp();
        List<StateMachineRecord> all = new ArrayList<>(machines.values());
        all.sort(Comparator.comparing(StateMachineRecord::name));
        return all;
    }

    public void put(StateMachineRecord machine) {
        write(machine.stateMachineArn(), Json.toBytes(machine));
    }

    public void delete(String stateMachineArn) {
        write(stateMachineArn, null);
    }

    private void write(String key, byte[] value) {
        try {
            kafka.producer().send(new ProducerRecord<>(kafka.topics().stateMachines(), key, value))
                    .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!reader.readToEnd(READ_BACK)) {
                throw unavailable("the write was not read back within " + READ_BACK, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted", e);
        } catch (ExecutionException e) {
            throw unavailable(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw unavailable("no acknowledgement within " + config.publishTimeout(), e);
        }
    }

    private void awaitCaughtUp() {
        CompactedTopicReader r = reader;
        long deadline = System.nanoTime() + config.statusCatchUpTimeout().toNanos();
        while (r == null || !r.caughtUp()) {
            if (System.nanoTime() > deadline) {
                throw unavailable("the state machines on " + kafka.topics().stateMachines() + " are not read yet", null);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable("interrupted", e);
            }
            r = reader;
        }
    }

    private static AwsError unavailable(String why, Throwable cause) {
        AwsError error = new AwsError("ServiceUnavailable", "the state machine registry cannot answer: " + why, 503, null);
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            machines.remove(record.key());
        } else {
            machines.put(record.key(), Json.fromBytes(record.value(), StateMachineRecord.class));
        }
    }

    @PreDestroy
    synchronized void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
