package io.dmap.aggregator.topology;

import io.dmap.common.topics.Topics;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The topology reads as docs/aggregator.md draws it: two named sources feed the one processor, which writes to three
 * named sinks, each on its own topic, with the four stores attached, all in one sub-topology (one task per partition).
 */
class TopologyShapeTest {

    private static final Topics TOPICS = Topics.of("t");

    @Test
    void sourcesFeedOneProcessorThatWritesToThreeSinks() {
        TopologyDescription description = AggregatorTopology.build(TOPICS).describe();
        assertEquals(1, description.subtopologies().size());
        Set<TopologyDescription.Node> nodes = description.subtopologies().iterator().next().nodes();
        TopologyDescription.Processor processor = nodes.stream()
                .filter(n -> n instanceof TopologyDescription.Processor).map(n -> (TopologyDescription.Processor) n)
                .findFirst().orElseThrow();

        assertEquals(AggregatorTopology.PROCESSOR, processor.name());
        assertEquals(Set.of(AggregatorTopology.RUNS_STORE, AggregatorTopology.EXECUTIONS_STORE,
                AggregatorTopology.PROCESSORS_STORE, AggregatorTopology.STATUS_PENDING_STORE), processor.stores());
        assertEquals(Set.of(AggregatorTopology.RUN_EVENTS_SOURCE + "<" + TOPICS.runs(),
                        AggregatorTopology.OUTCOMES_SOURCE + "<" + TOPICS.outcomes()),
                processor.predecessors().stream()
                        .map(n -> n.name() + "<" + ((TopologyDescription.Source) n).topicSet().iterator().next())
                        .collect(Collectors.toSet()));
        assertEquals(Set.of(AggregatorTopology.STATUS_SINK + ">" + TOPICS.status(),
                        AggregatorTopology.REDRIVEN_BATCHES_SINK + ">" + TOPICS.batches(),
                        AggregatorTopology.DEFINITION_TOMBSTONES_SINK + ">" + TOPICS.definitions()),
                processor.successors().stream().map(n -> n.name() + ">" + ((TopologyDescription.Sink) n).topic())
                        .collect(Collectors.toSet()));
        assertEquals(6, nodes.size(), "nothing between the sources, the processor and the sinks");
    }
}
