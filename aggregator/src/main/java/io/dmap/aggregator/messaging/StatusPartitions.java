package io.dmap.aggregator.messaging;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which partitions of map-run-status this instance writes results for: those whose run state it holds, i.e.
 * whose map-runs partition one of its stream tasks owns. The status snapshot of a run is keyed like its run
 * events, so with equal partition counts run state and snapshots share a partition number. This is what lets
 * several aggregator instances split the result writing without asking each other for state.
 */
final class StatusPartitions {

    private final KafkaStreams streams;
    private final String runsTopic;
    private final String statusTopic;

    StatusPartitions(KafkaStreams streams, String runsTopic, String statusTopic) {
        this.streams = streams;
        this.runsTopic = runsTopic;
        this.statusTopic = statusTopic;
    }

    /** The partitions owned now, or null while the streams are not running (then ownership is in flux). */
    Set<TopicPartition> owned() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return null;
        }
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .filter(tp -> tp.topic().equals(runsTopic))
                .map(tp -> new TopicPartition(statusTopic, tp.partition()))
                .collect(Collectors.toSet());
    }

    /** False only when the streams run and no longer own the partition (a rebalance moved it). */
    boolean stillOwned(TopicPartition partition) {
        Set<TopicPartition> owned = owned();
        return owned == null || owned.contains(partition);
    }
}
