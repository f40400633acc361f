package io.dmap.aggregator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The aggregator's own settings (the Kafka Streams ones are under {@code kafka-streams.*} and {@code quarkus.kafka-streams.*}). */
@ConfigMapping(prefix = "aggregator")
public interface AggregatorConfig {

    Results results();

    /**
     * The host at which the other aggregator instances reach this one's HTTP API: advertised to them as Kafka Streams'
     * {@code application.server} (with {@code quarkus.http.port}) so that an executions query is forwarded to the
     * instance that holds the run.
     */
    @WithDefault("127.0.0.1")
    String advertisedHost();

    Status status();

    interface Status {
        /**
         * Snapshots of runs whose counts only changed are published at most this often (phase, status and stopping
         * changes go out at once): readers see at most one snapshot per run per interval.
         */
        @WithDefault("200ms")
        Duration flushInterval();
    }

    interface Results {
        /** A result file is closed and a new one begun past this size; AWS uses 5 GB. */
        @WithDefault("5368709120")
        long maxFileBytes();

        /** Consumer group of the result writer on map-run-status. */
        @WithDefault("dmap-result-writer")
        String groupId();

        /** Where result files are assembled before upload; absent: the JVM's temp directory. */
        Optional<Path> tempDir();

        /** Pause between attempts to read the state stores while they are not queryable (rebalance, restore). */
        @WithDefault("1s")
        Duration storeRetry();

        /** How long writing one run's results may take before the writer's consumer is considered dead. */
        @WithDefault("30m")
        Duration maxWriteTime();
    }
}
