package io.dmap.planner.workflow;

import io.dmap.common.events.ChildHandoff;
import io.dmap.common.json.Json;
import io.dmap.planner.config.PlannerConfig;
import io.dmap.planner.messaging.KafkaClients;
import io.dmap.service.kafka.CompactedTopicReader;
import io.dmap.service.kafka.TopicCreator;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code executions} (compacted; {@link ParentExecution} under the execution ARN, {@link WorkflowCommand} under
 * {@code <arn>#<kind>}, {@link ChildHandoff} under {@code <arn>#handoff}) ↔ the latest record of every parent execution, in memory on every replica, read by a
 * {@link CompactedTopicReader} ({@code read_committed}, from the beginning). Writes wait for the broker's
 * acknowledgement, so the driver's "write before the effect" holds. Listeners hear each record and command read.
 */
@ApplicationScoped
public class ExecutionStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ExecutionStore.class);

    private final KafkaClients kafka;
    private final PlannerConfig config;
    private final Map<String, ParentExecution> latest = new ConcurrentHashMap<>();
    private final Map<String, WorkflowCommand> commands = new ConcurrentHashMap<>();
    private final List<Consumer<ParentExecution>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<WorkflowCommand>> commandListeners = new CopyOnWriteArrayList<>();
    private final Map<String, ChildHandoff> handoffs = new ConcurrentHashMap<>();
    private final List<Consumer<ChildHandoff>> handoffListeners = new CopyOnWriteArrayList<>();
    private volatile int partitions;
    private CompactedTopicReader reader;

    public ExecutionStore(KafkaClients kafka, PlannerConfig config) {
        this.kafka = kafka;
        this.config = config;
    }

    public synchronized void start() {
        if (reader != null) {
            return;
        }
        reader = new CompactedTopicReader(kafka.topics().executions(), kafka.config().consumer(Map.of()),
                "dmap-planner-executions", this::apply);
        reader.start();
    }

    public Optional<ParentExecution> get(String executionArn) {
        return Optional.ofNullable(latest.get(executionArn));
    }

    public Collection<ParentExecution> all() {
        return latest.values();
    }

    Collection<WorkflowCommand> commands() {
        return commands.values();
    }

    /** Children handed off by workers and not yet taken up by their driver. */
    Collection<ChildHandoff> handoffs() {
        return handoffs.values();
    }

    /** The handoff under {@code key} if it is still waiting to be taken up. */
    Optional<ChildHandoff> handoff(String key) {
        return Optional.ofNullable(handoffs.get(key));
    }

    void addHandoffListener(Consumer<ChildHandoff> listener) {
        handoffListeners.add(listener);
    }

    /** The handoff has been taken up (the child's record is written): a tombstone. */
    void clear(ChildHandoff handoff) {
        handoffs.remove(handoff.key(), handoff);
        send(new ProducerRecord<>(kafka.topics().executions(), partitionOf(handoff.executionArn()), handoff.key(), null));
    }

    void addListener(Consumer<ParentExecution> listener) {
        listeners.add(listener);
    }

    void addCommandListener(Consumer<WorkflowCommand> listener) {
        commandListeners.add(listener);
    }

    /** Waits until every record written before the call has been read. */
    boolean readToEnd(Duration timeout) {
        CompactedTopicReader r = reader;
        try {
            return r != null && r.readToEnd(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes {@code execution} and waits for the acknowledgement; it is then the latest here at once. */
    void write(ParentExecution execution) {
        send(new ProducerRecord<>(kafka.topics().executions(), execution.arn(), Json.toBytes(execution)));
        latest.merge(execution.arn(), execution, (old, now) -> now.seq() >= old.seq() ? now : old);
    }

    void send(WorkflowCommand command) {
        send(new ProducerRecord<>(kafka.topics().executions(), partitionOf(command.executionArn()), command.key(),
                Json.toBytes(command)));
    }

    /** The command has been applied: a tombstone, so compaction forgets it. */
    void clear(WorkflowCommand command) {
        commands.remove(command.key(), command);
        send(new ProducerRecord<>(kafka.topics().executions(), partitionOf(command.executionArn()), command.key(), null));
    }

    /** The partition of {@code executionArn}'s records: the producer's default for the key, by murmur2. */
    int partitionOf(String executionArn) {
        int n = partitions();
        return Utils.toPositive(Utils.murmur2(executionArn.getBytes(StandardCharsets.UTF_8))) % n;
    }

    int partitions() {
        if (partitions == 0) {
            try {
                partitions = TopicCreator.partitionCount(kafka.admin(), kafka.topics().executions());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing " + kafka.topics().executions(), e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot describe " + kafka.topics().executions() + ": " + e.getMessage(), e);
            }
        }
        return partitions;
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            kafka.producer().send(record).get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + record.key(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write " + record.key() + " to " + record.topic() + ": " + e.getMessage(), e);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            return;
        }
        if (key.endsWith("#" + ChildHandoff.KIND)) {
            if (record.value() == null) {
                handoffs.remove(key);
                return;
            }
            ChildHandoff handoff = Json.fromBytes(record.value(), ChildHandoff.class);
            handoffs.put(key, handoff);
            handoffListeners.forEach(l -> safely(key, () -> l.accept(handoff)));
            return;
        }
        int hash = key.lastIndexOf('#');
        if (hash > 0) {
            if (record.value() == null) {
                commands.remove(key);
                return;
            }
            WorkflowCommand command = Json.fromBytes(record.value(), WorkflowCommand.class);
            commands.put(key, command);
            commandListeners.forEach(l -> safely(key, () -> l.accept(command)));
            return;
        }
        if (record.value() == null) {
            latest.remove(key);
            return;
        }
        ParentExecution execution = Json.fromBytes(record.value(), ParentExecution.class);
        ParentExecution kept = latest.merge(key, execution, (old, now) -> now.seq() >= old.seq() ? now : old);
        if (kept == execution) {
            listeners.forEach(l -> safely(key, () -> l.accept(execution)));
        }
    }

    private static void safely(String key, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "execution %s: a listener failed", key);
        }
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
