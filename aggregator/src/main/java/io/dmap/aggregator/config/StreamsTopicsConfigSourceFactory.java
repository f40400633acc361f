package io.dmap.aggregator.config;

import io.dmap.common.topics.Topics;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Derives {@code quarkus.kafka-streams.topics} (the topics Quarkus waits for before starting the streams)
 * from {@code dmap.topics.namespace}, so that the two cannot disagree. Low ordinal: an explicit setting wins.
 */
public class StreamsTopicsConfigSourceFactory implements ConfigSourceFactory {

    static final String KEY = "quarkus.kafka-streams.topics";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue namespace = context.getValue("dmap.topics.namespace");
        Topics topics = Topics.of(namespace == null ? null : namespace.getValue());
        return List.of(new PropertiesConfigSource(Map.of(KEY, topics.runs() + "," + topics.outcomes()),
                "dmap-streams-topics", 150));
    }
}
