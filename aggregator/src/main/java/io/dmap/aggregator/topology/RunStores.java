package io.dmap.aggregator.topology;

import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.aggregator.tally.RunState;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read access to the topology's state stores from outside the stream thread (interactive queries).
 * Every method may throw {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while the
 * stores are not queryable (starting, rebalancing, restoring): callers retry.
 */
public final class RunStores {

    private final KafkaStreams streams;

    public RunStores(KafkaStreams streams) {
        this.streams = streams;
    }

    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public RunState run(String mapRunId) {
        return runs().get(mapRunId);
    }

    /** The run's execution records in batch order; close the iterator. */
    public KeyValueIterator<String, ExecutionRecord> executions(String mapRunId) {
        ReadOnlyKeyValueStore<String, ExecutionRecord> store = streams.store(StoreQueryParameters.fromNameAndType(
                AggregatorTopology.EXECUTIONS_STORE, QueryableStoreTypes.<String, ExecutionRecord>keyValueStore()));
        return store.range(AggregatorTopology.executionRangeFrom(mapRunId), AggregatorTopology.executionRangeTo(mapRunId));
    }

    private ReadOnlyKeyValueStore<String, RunState> runs() {
        return streams.store(StoreQueryParameters.fromNameAndType(
                AggregatorTopology.RUNS_STORE, QueryableStoreTypes.<String, RunState>keyValueStore()));
    }
}
