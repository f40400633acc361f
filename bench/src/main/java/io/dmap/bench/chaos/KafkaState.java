package io.dmap.bench.chaos;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the broker says about transactions when a round stalls, the evidence for a run that does not move: every
 * transaction that is not complete (state, producer, timeout, start, partitions), every partition with an open
 * transaction (its first offset: what holds the last stable offset back), and each group's committed offsets read
 * as a read_committed consumer reads them (require_stable: a pending transactional offset commit answers
 * UNSTABLE_OFFSET_COMMIT, the error behind Kafka Streams' "Timeout ... before the last committed offset").
 */
final class KafkaState {

    private KafkaState() {
    }

    static String describe(String bootstrapServers) {
        StringBuilder out = new StringBuilder("Kafka at " + Instant.now() + " (" + bootstrapServers + ")\n");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers, "request.timeout.ms", "10000",
                "default.api.timeout.ms", "20000"))) {
            transactions(admin, out);
            openPartitions(admin, out);
            groups(admin, out);
        } catch (Exception e) {
            out.append("describing Kafka failed: ").append(e).append('\n');
        }
        return out.toString();
    }

    private static void transactions(Admin admin, StringBuilder out) throws Exception {
        Collection<TransactionListing> listed = admin.listTransactions().all().get();
        List<String> ids = listed.stream().map(TransactionListing::transactionalId).toList();
        out.append("transactional ids: ").append(ids.size()).append('\n');
        if (ids.isEmpty()) {
            return;
        }
        Map<String, TransactionDescription> described = new TreeMap<>(admin.describeTransactions(ids).all().get());
        described.forEach((id, d) -> {
            boolean open = d.state() != TransactionState.COMPLETE_COMMIT && d.state() != TransactionState.COMPLETE_ABORT
                    && d.state() != TransactionState.EMPTY;
            out.append(open ? "  OPEN " : "  ").append(id).append(' ').append(d.state())
                    .append(" producerId=").append(d.producerId()).append(" epoch=").append(d.producerEpoch())
                    .append(" timeoutMs=").append(d.transactionTimeoutMs());
            d.transactionStartTimeMs().ifPresent(t -> out.append(" started=").append(Instant.ofEpochMilli(t)));
            if (open) {
                out.append(" partitions=").append(d.topicPartitions());
            }
            out.append('\n');
        });
    }

    private static void openPartitions(Admin admin, StringBuilder out) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        Map<String, TopicDescription> topics = admin.describeTopics(
                admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get()).allTopicNames().get();
        topics.values().forEach(t -> t.partitions().forEach(p -> partitions.add(new TopicPartition(t.name(), p.partition()))));
        out.append("partitions with an open transaction:\n");
        admin.describeProducers(partitions).all().get().forEach((tp, state) -> state.activeProducers().forEach(p -> {
            if (p.currentTransactionStartOffset().isPresent()) {
                out.append("  ").append(tp).append(" producerId=").append(p.producerId()).append(" epoch=")
                        .append(p.producerEpoch()).append(" firstOffset=").append(p.currentTransactionStartOffset().getAsLong())
                        .append(" lastWrite=").append(Instant.ofEpochMilli(p.lastTimestamp())).append('\n');
            }
        }));
    }

    private static void groups(Admin admin, StringBuilder out) throws Exception {
        for (ConsumerGroupListing g : admin.listConsumerGroups().all().get()) {
            try {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(g.groupId())).all().get().get(g.groupId());
                out.append("group ").append(g.groupId()).append(": ").append(d.groupState()).append(", coordinator ")
                        .append(d.coordinator() == null ? "none" : d.coordinator().idString()).append(", ")
                        .append(d.members().size()).append(" members\n");
            } catch (Exception e) {
                out.append("group ").append(g.groupId()).append(": not described: ").append(e.getMessage()).append('\n');
            }
            try {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(g.groupId(),
                        new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata().get();
                out.append("group ").append(g.groupId()).append(": ").append(offsets.size()).append(" stable offsets\n");
            } catch (Exception e) {
                out.append("group ").append(g.groupId()).append(": committed offsets not stable: ").append(e.getMessage()).append('\n');
            }
        }
    }
}
