package io.dmap.aggregator.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.aggregator.tally.RunState;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.events.RunEvent;
import io.dmap.common.json.JsonSerde;
import io.dmap.common.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;

/**
 * The aggregator's Kafka Streams topology: run events (map-runs) and execution outcomes (map-outcomes),
 * both keyed by map run id and co-partitioned, go through one processor that keeps the run state and the
 * execution records in RocksDB stores and publishes a status snapshot (map-run-status): at once when a run's phase,
 * status or stopping flag changes, at most once per {@code flushInterval} when only its counts do. A redrive
 * also publishes the batches to run again (map-batches), in the same transaction as the state change; a run that is
 * done gets a tombstone on map-run-definitions (the workers free its ItemProcessor, compaction drops it).
 */
public final class AggregatorTopology {

    /** mapRunId -> {@link RunState}. */
    public static final String RUNS_STORE = "runs";
    /** {@link #executionKey} -> {@link ExecutionRecord}; a run's records are one contiguous key range. */
    public static final String EXECUTIONS_STORE = "executions";
    /** mapRunId -> the ItemProcessor definition of the run (what a redriven batch message carries). */
    public static final String PROCESSORS_STORE = "processors";
    /** mapRunId -> timestamp of its latest change whose snapshot is not yet published (the coalescing). */
    public static final String STATUS_PENDING_STORE = "status-pending";
    /** How often count-only changes are published when not configured ({@code aggregator.status.flush-interval}). */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(200);

    static final JsonSerde<RunEvent> RUN_EVENTS = JsonSerde.of(RunEvent.class);
    static final JsonSerde<OutcomeEvent> OUTCOMES = JsonSerde.of(OutcomeEvent.class);
    static final JsonSerde<MapRunStatus> STATUSES = JsonSerde.of(MapRunStatus.class);
    static final JsonSerde<RunState> RUN_STATES = JsonSerde.of(RunState.class);
    static final JsonSerde<ExecutionRecord> EXECUTIONS = JsonSerde.of(ExecutionRecord.class);
    static final JsonSerde<JsonNode> PROCESSORS = JsonSerde.of(JsonNode.class);

    private AggregatorTopology() {
    }

    public static Topology build(Topics topics) {
        return build(topics, DEFAULT_FLUSH_INTERVAL);
    }

    public static Topology build(Topics topics, Duration flushInterval) {
        StreamsBuilder builder = new StreamsBuilder();
        // cached: a run's state is rewritten by every outcome; the cache sends one changelog record per commit
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RUNS_STORE), Serdes.String(), RUN_STATES).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(STATUS_PENDING_STORE), Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EXECUTIONS_STORE), Serdes.String(), EXECUTIONS));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PROCESSORS_STORE), Serdes.String(), PROCESSORS));

        KStream<String, Object> runEvents = builder
                .stream(topics.runs(), Consumed.with(Serdes.String(), RUN_EVENTS).withName("run-events"))
                .mapValues(e -> (Object) e, Named.as("run-events-as-input"));
        KStream<String, Object> outcomes = builder
                .stream(topics.outcomes(), Consumed.with(Serdes.String(), OUTCOMES).withName("outcomes"))
                .mapValues(e -> (Object) e, Named.as("outcomes-as-input"));

        KStream<String, Object> out = runEvents.merge(outcomes, Named.as("run-inputs"))
                .process(() -> new MapRunProcessor(flushInterval), Named.as("map-run-processor"), RUNS_STORE,
                        EXECUTIONS_STORE, PROCESSORS_STORE, STATUS_PENDING_STORE);
        out.filter((k, v) -> v instanceof MapRunStatus, Named.as("snapshots-only"))
                .mapValues(v -> (MapRunStatus) v, Named.as("as-snapshot"))
                .to(topics.status(), Produced.with(Serdes.String(), STATUSES).withName("status-snapshots"));
        out.filter((k, v) -> v instanceof RetiredDefinition, Named.as("retired-definitions-only"))
                .mapValues(v -> (byte[]) null, Named.as("as-tombstone"))
                .to(topics.definitions(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("definition-tombstones"));
        out.filter((k, v) -> v instanceof RedriveBatch, Named.as("redriven-batches-only"))
                .mapValues(v -> (RedriveBatch) v, Named.as("as-redriven-batch"))
                .to(topics.batches(), Produced.with(Serdes.String(), RedriveBatch.serde())
                        .withStreamPartitioner(RedriveBatch.placement()).withName("redriven-batches"));
        return builder.build();
    }

    /** Zero-padded so that keys sort by batch index and a run's range is {@code [id + "/", id + "/~")}. */
    public static String executionKey(String mapRunId, long batchIndex) {
        // by hand: String.format was a tenth of the stream thread's samples (once or twice per outcome)
        String digits = Long.toString(batchIndex);
        StringBuilder key = new StringBuilder(mapRunId.length() + 1 + Math.max(12, digits.length())).append(mapRunId).append('/');
        for (int i = digits.length(); i < 12; i++) {
            key.append('0');
        }
        return key.append(digits).toString();
    }

    public static String executionRangeFrom(String mapRunId) {
        return mapRunId + "/";
    }

    public static String executionRangeTo(String mapRunId) {
        return mapRunId + "/~";
    }
}
