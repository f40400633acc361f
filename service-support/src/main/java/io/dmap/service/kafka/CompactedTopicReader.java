package io.dmap.service.kafka;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The one reader of a compacted topic (after Kafka Connect's KafkaBasedLog): one thread and one consumer without a
 * group, assigned to the topic's partitions (those {@code partitions} accepts; new ones are picked up) from the
 * beginning, hands every record to the callback in offset order per partition. It starts from the caller's client
 * configuration (bootstrap servers, TLS, SASL ...) and forces only what correctness needs: {@code read_committed}
 * (a record of an aborted transaction is never seen), {@code earliest}, no group and no auto-commit.
 *
 * <p>{@link #readToEnd()} completes once every record that was in the topic when it was called has been handed to the
 * callback: a caller that must see what was written before (a definition before its batches, the state a takeover
 * resumes from) waits on it.
 */
public final class CompactedTopicReader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CompactedTopicReader.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration WAITING_POLL = Duration.ofMillis(5);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);

    private final String topic;
    private final Map<String, Object> config;
    private final IntPredicate partitions;
    private final Consumer<ConsumerRecord<String, byte[]>> callback;
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> endRequests = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> firstCatchUp = new CompletableFuture<>();
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param clientConfig the caller's Kafka client configuration (at least {@code bootstrap.servers}); keys that
     *                     correctness needs are overridden
     * @param clientId     the consumer's client id (shows in broker logs and metrics)
     */
    public CompactedTopicReader(String topic, Map<String, ?> clientConfig, String clientId,
                                Consumer<ConsumerRecord<String, byte[]>> callback) {
        this(topic, clientConfig, clientId, p -> true, callback);
    }

    /** Reads only the partitions {@code partitions} accepts. */
    public CompactedTopicReader(String topic, Map<String, ?> clientConfig, String clientId, IntPredicate partitions,
                                Consumer<ConsumerRecord<String, byte[]>> callback) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partitions = partitions;
        this.callback = Objects.requireNonNull(callback, "callback");
        Map<String, Object> c = new HashMap<>(clientConfig);
        c.keySet().removeIf(k -> k.startsWith("group.") || k.equals(ConsumerConfig.GROUP_ID_CONFIG)
                || k.equals(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        c.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        this.config = c;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::readLoop, "dmap-reader-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes once every record in the topic at the time of the call has been handed to the callback. */
    public CompletableFuture<Void> readToEnd() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("the reader of " + topic + " is not running"));
            return done;
        }
        endRequests.add(done);
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup(); // the request is served on the next turn, not after a full poll
        }
        return done;
    }

    /** {@link #readToEnd()}, waited for; false when {@code timeout} passed first. */
    public boolean readToEnd(Duration timeout) throws InterruptedException {
        try {
            readToEnd().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read " + topic + " to its end", e.getCause());
        }
    }

    /** True once the reader has read what the topic held when it started. */
    public boolean caughtUp() {
        return firstCatchUp.isDone() && !firstCatchUp.isCompletedExceptionally();
    }

    private void readLoop() {
        KafkaConsumer<String, byte[]> c = consumer;
        long nextRefresh = 0;
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        Map<TopicPartition, Long> target = null;
        waiting.add(firstCatchUp); // first in line: caughtUp() is true by the time any readToEnd() completes
        try {
            while (running) {
                try {
                    if (System.currentTimeMillis() >= nextRefresh && assign(c)) {
                        nextRefresh = System.currentTimeMillis() + PARTITION_REFRESH.toMillis();
                    }
                    if (c.assignment().isEmpty()) {
                        Thread.sleep(POLL.toMillis()); // the topic does not exist yet (or has no accepted partition)
                        nextRefresh = 0;
                        continue;
                    }
                    if (!endRequests.isEmpty() || (target == null && !waiting.isEmpty())) {
                        // requests that arrive now are served by the end offsets read now
                        for (CompletableFuture<Void> r; (r = endRequests.poll()) != null; ) {
                            waiting.add(r);
                        }
                        target = c.endOffsets(c.assignment());
                    }
                    if (target == null || !reached(c, target)) {
                        // while someone waits, poll briefly: the last thing to read is often only a commit marker,
                        // which no poll returns as a record, so a long poll would wait out its whole timeout
                        for (ConsumerRecord<String, byte[]> record : c.poll(waiting.isEmpty() ? POLL : WAITING_POLL)) {
                            apply(record);
                        }
                    }
                    if (target != null && reached(c, target)) {
                        waiting.forEach(f -> f.complete(null));
                        waiting.clear();
                        target = null;
                    }
                } catch (WakeupException e) {
                    // readToEnd() or close(): the loop looks at both
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.errorf(e, "reading %s failed; retrying", topic);
                    pause();
                }
            }
        } finally {
            IllegalStateException stopped = new IllegalStateException("the reader of " + topic + " stopped");
            waiting.forEach(f -> f.completeExceptionally(stopped));
            for (CompletableFuture<Void> r; (r = endRequests.poll()) != null; ) {
                r.completeExceptionally(stopped);
            }
            c.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns the accepted partitions (new ones from the beginning); false while the topic is not visible. */
    private boolean assign(KafkaConsumer<String, byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        List<TopicPartition> wanted = infos.stream().map(PartitionInfo::partition).filter(partitions::test)
                .map(p -> new TopicPartition(topic, p)).toList();
        if (c.assignment().containsAll(wanted)) {
            return true;
        }
        List<TopicPartition> added = wanted.stream().filter(p -> !c.assignment().contains(p)).toList();
        c.assign(wanted);
        c.seekToBeginning(added);
        return true;
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> target) {
        for (Map.Entry<TopicPartition, Long> t : target.entrySet()) {
            if (c.assignment().contains(t.getKey()) && c.position(t.getKey()) < t.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            callback.accept(record);
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s-%d@%d (key %s): the record could not be applied; skipped", record.topic(),
                    record.partition(), record.offset(), record.key());
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

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
