package io.dmap.aggregator.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.aggregator.tally.RunState;
import io.dmap.common.events.MapRunEvent;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.OutcomeEvent;
import io.dmap.common.events.RunEvent;
import io.dmap.common.json.JsonSerde;
import io.dmap.common.topics.Topics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;

/**
 * The aggregator's Kafka Streams topology, by name: two sources, run events (map-runs) and execution outcomes
 * (map-outcomes), both keyed by map run id and co-partitioned, feed one processor ({@link MapRunProcessor}, typed
 * {@link MapRunEvent} in) that keeps the run state and the execution records in RocksDB stores and forwards to
 * three sinks by name: a status snapshot (map-run-status) at once when a run's phase, status or stopping flag
 * changes and at most once per {@code flushInterval} when only its counts do; the batches a redrive runs again
 * (map-batches), in the same transaction as the state change; a tombstone on map-run-definitions for a run that is
 * done (the workers free its ItemProcessor, compaction drops it).
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
    static final String RUN_EVENTS_SOURCE = "run-events";
    static final String OUTCOMES_SOURCE = "outcomes";
    static final String PROCESSOR = "map-run-processor";
    static final String STATUS_SINK = "status-snapshots";
    static final String REDRIVEN_BATCHES_SINK = "redriven-batches";
    static final String DEFINITION_TOMBSTONES_SINK = "definition-tombstones";
    /** How often count-only changes are published when not configured ({@code aggregator.status.flush-interval}). */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(200);

    static final JsonSerde<RunEvent> RUN_EVENTS = JsonSerde.of(RunEvent.class);
    /** Inputs and outputs read as their text ({@link VerbatimJsonSerde}): the aggregator never looks into them. */
    static final Serde<OutcomeEvent> OUTCOMES = VerbatimJsonSerde.of(OutcomeEvent.class);
    static final JsonSerde<MapRunStatus> STATUSES = JsonSerde.of(MapRunStatus.class);
    static final JsonSerde<RunState> RUN_STATES = JsonSerde.of(RunState.class);
    static final Serde<ExecutionRecord> EXECUTIONS = VerbatimJsonSerde.of(ExecutionRecord.class);
    static final JsonSerde<JsonNode> PROCESSORS = JsonSerde.of(JsonNode.class);

    private AggregatorTopology() {
    }

    public static Topology build(Topics topics) {
        return build(topics, DEFAULT_FLUSH_INTERVAL);
    }

    public static Topology build(Topics topics, Duration flushInterval) {
        StringSerializer keys = new StringSerializer();
        StringDeserializer keysIn = new StringDeserializer();
        return new Topology()
                .addSource(RUN_EVENTS_SOURCE, keysIn, RUN_EVENTS, topics.runs())
                .addSource(OUTCOMES_SOURCE, keysIn, OUTCOMES.deserializer(), topics.outcomes())
                .addProcessor(PROCESSOR, () -> new MapRunProcessor(flushInterval), RUN_EVENTS_SOURCE, OUTCOMES_SOURCE)
                // cached: a run's state is rewritten by every outcome; the cache sends one changelog record per commit
                .addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(RUNS_STORE), Serdes.String(), RUN_STATES).withCachingEnabled(),
                        PROCESSOR)
                .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STATUS_PENDING_STORE),
                        Serdes.String(), Serdes.Long()).withCachingEnabled(), PROCESSOR)
                .addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(EXECUTIONS_STORE), Serdes.String(), EXECUTIONS), PROCESSOR)
                .addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(PROCESSORS_STORE), Serdes.String(), PROCESSORS), PROCESSOR)
                .addSink(STATUS_SINK, topics.status(), keys, STATUSES, PROCESSOR)
                .addSink(REDRIVEN_BATCHES_SINK, topics.batches(), keys, RedriveBatch.serde().serializer(),
                        RedriveBatch.placement(), PROCESSOR)
                .addSink(DEFINITION_TOMBSTONES_SINK, topics.definitions(), keys, new ByteArraySerializer(), PROCESSOR);
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
