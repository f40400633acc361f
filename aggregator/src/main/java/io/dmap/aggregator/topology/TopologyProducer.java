package io.dmap.aggregator.topology;

import io.dmap.aggregator.config.AggregatorConfig;
import io.dmap.service.DmapConfig;
import io.dmap.service.kafka.KafkaClientConfig;
import io.dmap.service.kafka.TopicCreator;
import io.dmap.common.topics.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.Topology;
import org.jboss.logging.Logger;

/**
 * Hands the topology to quarkus-kafka-streams. Quarkus asks for it while constructing the KafkaStreams
 * instance, before starting it, so this is where the topics are created: the streams never start
 * against missing topics, whichever dmap service comes up first.
 */
@ApplicationScoped
public class TopologyProducer {

    private static final Logger LOG = Logger.getLogger(TopologyProducer.class);

    private final DmapConfig dmap;
    private final AggregatorConfig config;
    private final KafkaClientConfig kafka;

    public TopologyProducer(DmapConfig dmap, AggregatorConfig config, KafkaClientConfig kafka) {
        this.dmap = dmap;
        this.config = config;
        this.kafka = kafka;
    }

    @Produces
    @Singleton
    public Topology topology() {
        Topics topics = dmap.topics().names();
        TopicCreator.ensure(kafka, topics, dmap.topics().batchPartitions(), dmap.topics().partitions(),
                dmap.topics().replicationFactor());
        LOG.infof("topics ready on %s: %s, %s -> %s", kafka.bootstrapServers(), topics.runs(), topics.outcomes(), topics.status());
        return AggregatorTopology.build(topics, config.status().flushInterval());
    }
}
