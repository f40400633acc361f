package io.dmap.aggregator.it;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A topic namespace, state directory and application id of this JVM's own (the broker is per JVM too). Derived from
 * the process (id and start time), not a random value: Quarkus loads this class in more than one class loader.
 */
public class AggregatorTestProfile implements QuarkusTestProfile {

    static final String NAMESPACE = "agg-it-" + ProcessHandle.current().pid() + "-"
            + ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    /** Small, so that a handful of records spans several result files. */
    static final long MAX_FILE_BYTES = 1200;

    /** Under target/, so that {@code mvn clean} removes it. */
    private static final String STATE_DIR = Path.of("target", NAMESPACE + "-state").toAbsolutePath().toString();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "dmap.topics.namespace", NAMESPACE,
                "quarkus.kafka-streams.application-id", NAMESPACE + "-aggregator",
                "kafka-streams.state.dir", STATE_DIR,
                "aggregator.results.max-file-bytes", Long.toString(MAX_FILE_BYTES),
                "aggregator.results.group-id", NAMESPACE + "-result-writer",
                // every bucket of these tests is agg-*; AggregatorServiceTest writes to another one and is refused
                "dmap.s3.allowed-buckets", "agg-*");
    }
}
