package io.dmap.testsupport;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the in-process broker's own logs at WARNING so that test output shows the services, not Kafka's
 * start-up chatter. Client loggers ({@code org.apache.kafka.clients}, {@code org.apache.kafka.streams}) are left
 * alone. {@code -Ddmap.test.kafka.log-level=INFO} (any java.util.logging level) brings the broker's logs back.
 * Works through java.util.logging, which is what JBoss LogManager (Quarkus) and slf4j-jdk14 use.
 */
final class BrokerLogs {

    static final String LEVEL_PROPERTY = "dmap.test.kafka.log-level";

    private static final List<String> BROKER_CATEGORIES = List.of(
            "kafka", "state.change.logger", "org.apache.kafka.server", "org.apache.kafka.controller",
            "org.apache.kafka.raft", "org.apache.kafka.storage", "org.apache.kafka.coordinator",
            "org.apache.kafka.metadata", "org.apache.kafka.image", "org.apache.kafka.queue",
            "org.apache.kafka.snapshot", "org.apache.kafka.security", "org.apache.kafka.network",
            "org.apache.kafka.common.test", "org.apache.kafka.common.network", "org.apache.kafka.timeline");

    /** Strong references: java.util.logging forgets the level of a logger nobody holds. */
    private static final List<Logger> LOGGERS = BROKER_CATEGORIES.stream().map(Logger::getLogger).toList();

    /** Shared with the clients, so quieted only while the broker starts (its config dump is ~300 lines). */
    private static final Logger CONFIG_DUMP = Logger.getLogger("org.apache.kafka.common.config.AbstractConfig");

    private BrokerLogs() {
    }

    /** Quiets the broker for good and the config dump until the returned handle is closed. */
    static AutoCloseable quiet() {
        Level level = Level.parse(System.getProperty(LEVEL_PROPERTY, "WARNING"));
        LOGGERS.forEach(logger -> logger.setLevel(level));
        Level before = CONFIG_DUMP.getLevel();
        CONFIG_DUMP.setLevel(level);
        return () -> CONFIG_DUMP.setLevel(before);
    }
}
