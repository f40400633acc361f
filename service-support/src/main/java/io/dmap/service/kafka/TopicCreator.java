package io.dmap.service.kafka;

import io.dmap.common.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates dmap's topics if they are missing (every service calls it at start, so any can come up first).
 * An existing topic is left as it is: adding batch partitions is an operator's decision.
 */
public final class TopicCreator {

    private TopicCreator() {
    }

    /**
     * @param batchPartitions partitions of map-batches: the cluster's parallelism
     * @param partitions      partitions of map-runs, map-outcomes and map-run-status (must be equal for the
     *                        first two: the aggregator reads them co-partitioned), and of map-plan-checkpoints
     *                        (the planner writes the checkpoint of a run to the partition number of its map-runs
     *                        partition), and of map-run-definitions and state-machines
     */
    public static List<NewTopic> definitions(Topics topics, int batchPartitions, int partitions, short replication) {
        return List.of(
                new NewTopic(topics.runs(), partitions, replication),
                new NewTopic(topics.batches(), batchPartitions, replication),
                new NewTopic(topics.outcomes(), partitions, replication),
                compacted(topics.status(), partitions, replication),
                compacted(topics.checkpoints(), partitions, replication),
                compacted(topics.definitions(), partitions, replication),
                compacted(topics.stateMachines(), partitions, replication),
                compacted(topics.executions(), partitions, replication));
    }

    private static NewTopic compacted(String name, int partitions, short replication) {
        return new NewTopic(name, partitions, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /**
     * The most partitions one request may create on a KRaft cluster: the controller refuses a CreateTopics request of
     * more with "Excessively large number of partitions per request", and a single topic (or partition increase) of
     * 10,000 or more with "Unable to perform excessively large batch operation" (one metadata record per partition, at
     * most 10,000 per operation). A larger map-batches is created with this many and then grown in steps of it.
     */
    static final int MAX_PARTITIONS_PER_REQUEST = 5_000;

    public static void ensure(KafkaClientConfig kafka, Topics topics, int batchPartitions, int partitions, short replication) {
        try (Admin admin = Admin.create(kafka.admin(Map.of()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = definitions(topics, batchPartitions, partitions, replication).stream()
                    .filter(t -> !existing.contains(t.name()))
                    .toList();
            for (List<NewTopic> request : requests(missing, MAX_PARTITIONS_PER_REQUEST)) {
                List<NewTopic> capped = request.stream().map(TopicCreator::capped).toList();
                // thousands of partitions take the broker a while to create
                for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(capped).values().entrySet()) {
                    // TopicExistsException: another service won the race
                    await(created.getValue(), created.getKey(), TopicExistsException.class);
                }
                for (NewTopic topic : request) {
                    grow(admin, topic);
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create dmap topics on " + kafka.bootstrapServers() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** The topic with at most {@link #MAX_PARTITIONS_PER_REQUEST} partitions: {@link #grow} adds the rest. */
    private static NewTopic capped(NewTopic topic) {
        if (topic.numPartitions() <= MAX_PARTITIONS_PER_REQUEST) {
            return topic;
        }
        return new NewTopic(topic.name(), MAX_PARTITIONS_PER_REQUEST, topic.replicationFactor()).configs(topic.configs());
    }

    /**
     * Grows a topic created {@link #capped} to its partition count, {@link #MAX_PARTITIONS_PER_REQUEST} at a time (a
     * service that reads the count in between plans over fewer partitions until it restarts: correct, less parallel).
     */
    private static void grow(Admin admin, NewTopic topic) throws ExecutionException, InterruptedException, TimeoutException {
        int now = Math.min(topic.numPartitions(), MAX_PARTITIONS_PER_REQUEST);
        while (now < topic.numPartitions()) {
            int next = Math.min(topic.numPartitions(), now + MAX_PARTITIONS_PER_REQUEST);
            // InvalidPartitionsException: another service grew it already
            await(admin.createPartitions(Map.of(topic.name(), NewPartitions.increaseTo(next))).all(), topic.name(),
                    InvalidPartitionsException.class);
            now = next;
        }
    }

    /**
     * Waits for an admin request about {@code topic}; its failure with {@code raced} (another service did the same
     * first) is success, any other names the topic.
     */
    private static void await(KafkaFuture<Void> request, String topic, Class<? extends Throwable> raced)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            request.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!raced.isInstance(e.getCause())) {
                throw new ExecutionException("topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /**
     * The topics in order, grouped into requests of at most {@code maxPartitions} partitions each; a topic larger than
     * that goes alone (the broker then names the problem).
     */
    static List<List<NewTopic>> requests(List<NewTopic> topics, int maxPartitions) {
        List<List<NewTopic>> requests = new ArrayList<>();
        List<NewTopic> current = new ArrayList<>();
        long inCurrent = 0;
        for (NewTopic topic : topics) {
            if (!current.isEmpty() && inCurrent + topic.numPartitions() > maxPartitions) {
                requests.add(List.copyOf(current));
                current.clear();
                inCurrent = 0;
            }
            current.add(topic);
            inCurrent += topic.numPartitions();
        }
        if (!current.isEmpty()) {
            requests.add(List.copyOf(current));
        }
        return requests;
    }

    /** Partition count of a topic, for the planner's placement. */
    public static int partitionCount(Admin admin, String topic) throws ExecutionException, InterruptedException, TimeoutException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
    }
}
