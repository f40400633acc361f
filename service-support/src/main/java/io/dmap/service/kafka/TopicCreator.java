package io.dmap.service.kafka;

import io.dmap.common.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

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
                new NewTopic(topics.status(), partitions, replication)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(topics.checkpoints(), partitions, replication)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(topics.definitions(), partitions, replication)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(topics.stateMachines(), partitions, replication)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(topics.executions(), partitions, replication)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    public static void ensure(KafkaClientConfig kafka, Topics topics, int batchPartitions, int partitions, short replication) {
        try (Admin admin = Admin.create(kafka.admin(Map.of()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = definitions(topics, batchPartitions, partitions, replication).stream()
                    .filter(t -> !existing.contains(t.name()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // another service won the race
                    throw e;
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create dmap topics on " + kafka.bootstrapServers() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Partition count of a topic, for the planner's placement. */
    public static int partitionCount(Admin admin, String topic) throws ExecutionException, InterruptedException, TimeoutException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
    }
}
