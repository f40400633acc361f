package io.dmap.aggregator.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.spec.Arns;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.aggregator.tally.Tally;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ItemError;
import io.dmap.common.events.RedriveRequested;
import io.dmap.common.events.RunUpdated;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import io.dmap.aggregator.tally.RunState;
import io.dmap.aggregator.tally.StatusSnapshot;
import io.dmap.common.events.AbortRequested;
import io.dmap.common.events.ExecutionFinished;
import io.dmap.common.events.ExecutionStarted;
import io.dmap.common.events.MapRunEvent;
import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.ResultsWritten;
import io.dmap.common.events.RunPhase;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.events.RunRequested;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one run event or execution outcome to the run's state, de-duplicating outcomes by
 * (mapRunId, batchIndex, redriveCount), and publishes a status snapshot when the state changed (and, for a
 * redrive, the batches to run again as {@link RedriveBatch}es; for a run that is done, a tombstone of its
 * definition). Each goes to its sink by name ({@link AggregatorTopology}); the output value type differs per sink.
 *
 * <p>Snapshots are coalesced: a change of phase, status or {@code stopping} (what workers, the result writer and
 * clients act on) and a run's first state go out at once; a change of counts only marks the run in the
 * {@link AggregatorTopology#STATUS_PENDING_STORE} store, and a wall-clock punctuator publishes one snapshot per marked
 * run every {@code flushInterval}. The mark is a store entry, committed in the same transaction as the state, so a
 * crash between a change and its flush still publishes it (exactly-once is kept).
 */
final class MapRunProcessor implements Processor<String, MapRunEvent, String, Object> {

    private static final Logger LOG = Logger.getLogger(MapRunProcessor.class);
    /** A redrive reads the run's records in pages of this many keys. */
    static final int REDRIVE_PAGE = 1000;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, RunState> runs;
    private KeyValueStore<String, ExecutionRecord> executions;
    private KeyValueStore<String, JsonNode> processors;
    /** Run id → timestamp of its latest change not yet published. */
    private KeyValueStore<String, Long> pending;
    private final Duration flushInterval;
    /**
     * The states of the runs seen lately, as last written to {@code runs}: every outcome reads and rewrites its run's
     * state, and reading it from the store deserializes it each time. Written through; emptied whenever the task is
     * (re)initialized, so it never outlives the store it mirrors (a task whose transaction aborted is restored and
     * initialized again).
     */
    private final Map<String, RunState> live = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunState> eldest) {
            return size() > LIVE_RUNS;
        }
    };
    private static final int LIVE_RUNS = 1024;

    MapRunProcessor(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    private RunState run(String mapRunId) {
        RunState state = live.get(mapRunId);
        if (state == null) {
            state = runs.get(mapRunId);
            if (state != null) {
                live.put(mapRunId, state);
            }
        }
        return state;
    }

    @Override
    public void close() {
        live.clear();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        live.clear();
        this.runs = context.getStateStore(AggregatorTopology.RUNS_STORE);
        this.executions = context.getStateStore(AggregatorTopology.EXECUTIONS_STORE);
        this.processors = context.getStateStore(AggregatorTopology.PROCESSORS_STORE);
        this.pending = context.getStateStore(AggregatorTopology.STATUS_PENDING_STORE);
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    /** Publishes one snapshot of every run whose counts changed since its last snapshot. */
    private void flush() {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = pending.all()) {
            all.forEachRemaining(due::add); // collected first: the store is not written while it is iterated
        }
        for (KeyValue<String, Long> run : due) {
            pending.delete(run.key);
            RunState state = run(run.key);
            if (state != null) {
                publish(state, run.value);
            }
        }
    }

    private void publish(RunState state, long timestamp) {
        MapRunStatus snapshot = StatusSnapshot.of(state, Instant.ofEpochMilli(timestamp));
        context.forward(new Record<>(state.mapRunId(), snapshot, timestamp), AggregatorTopology.STATUS_SINK);
    }

    @Override
    public void process(Record<String, MapRunEvent> record) {
        String mapRunId = record.value() == null ? null : record.value().mapRunId();
        if (mapRunId == null) {
            return; // tombstone or an event without a run: nothing to apply
        }
        RunState before = run(mapRunId);
        RunState current = before != null ? before : RunState.empty(mapRunId);
        RunState after = apply(current, record.value(), record.timestamp()).settle();
        if (after.equals(before)) {
            return;
        }
        runs.put(mapRunId, after);
        live.put(mapRunId, after);
        boolean turned = after.phase() != current.phase() || after.stopping() != current.stopping()
                || after.status() != current.status();
        if (turned) {
            LOG.infof("map run %s: phase %s, decided %s, stopping %s", mapRunId, after.phase(), after.fate().decidedStatus(),
                    after.stopping());
        }
        if (turned || before == null) {
            // workers, the result writer and clients act on these: no waiting for the next flush
            if (pending.get(mapRunId) != null) {
                pending.delete(mapRunId);
            }
            publish(after, record.timestamp());
            if (after.phase() == RunPhase.DONE && current.phase() != RunPhase.DONE) {
                // a finished run's batches never need its definition again (a redriven batch carries it): free it
                context.forward(new Record<>(mapRunId, null, record.timestamp()),
                        AggregatorTopology.DEFINITION_TOMBSTONES_SINK);
            }
            if (turned) {
                // readers see the snapshot only once the transaction commits: ask for the commit now rather than at
                // the end of the commit interval (a run has a handful of these; counts wait for the interval)
                context.commit();
            }
        } else {
            pending.put(mapRunId, record.timestamp());
        }
    }

    private RunState apply(RunState run, MapRunEvent event, long timestamp) {
        if (event instanceof RunRequested e) {
            return requested(run, e);
        } else if (event instanceof RunPlanned e) {
            return run.planned(e.totalItems(), e.totalBatches());
        } else if (event instanceof PlanningFailed e) {
            return run.planningFailed(e);
        } else if (event instanceof AbortRequested) {
            return run.abortRequested();
        } else if (event instanceof ResultsWritten e) {
            return run.resultsWritten(e);
        } else if (event instanceof RedriveRequested e) {
            return redrive(run, e.at() != null ? e.at() : Instant.ofEpochMilli(timestamp), timestamp);
        } else if (event instanceof RunUpdated e) {
            return run.updated(e.toleratedFailureCount(), e.toleratedFailurePercentage(), e.maxConcurrency());
        } else if (event instanceof ExecutionStarted e) {
            return started(run, e);
        } else if (event instanceof ExecutionFinished e) {
            return finished(run, e);
        }
        return run;
    }

    private RunState requested(RunState run, RunRequested e) {
        if (run.config() == null && e.spec() != null) {
            JsonNode processor = e.spec().has("ItemProcessor") ? e.spec().get("ItemProcessor") : e.spec().get("Iterator");
            if (processor != null) {
                processors.put(e.mapRunId(), processor);
            }
        }
        return run.requested(e);
    }

    private RunState started(RunState run, ExecutionStarted e) {
        String key = AggregatorTopology.executionKey(e.mapRunId(), e.batchIndex());
        ExecutionRecord existing = executions.get(key);
        if (existing != null && !existing.redriving()) {
            return run; // started twice (redelivery) or after its outcome: already counted
        }
        executions.put(key, existing == null ? ExecutionRecord.started(e) : existing.restarted(e));
        return run.executionStarted(e.itemCount());
    }

    /** De-duplicates by (mapRunId, batchIndex, redriveCount): the first outcome of the current attempt counts. */
    private RunState finished(RunState run, ExecutionFinished e) {
        String key = AggregatorTopology.executionKey(e.mapRunId(), e.batchIndex());
        ExecutionRecord existing = executions.get(key);
        if (existing != null && (existing.terminal() || e.redriveCount() < existing.redriveCount())) {
            LOG.debugf("map run %s batch %d: duplicate or stale outcome %s (redrive %d) dropped", e.mapRunId(),
                    e.batchIndex(), e.status(), e.redriveCount());
            return run;
        }
        executions.put(key, ExecutionRecord.finished(e, existing));
        boolean wasRunning = existing != null && !existing.redriving();
        return run.executionFinished(e.status(), e.itemCount(), wasRunning, wasRunning ? existing.itemCount() : 0);
    }

    /**
     * AWS RedriveMapRun: publishes again (same batch index, next RedriveCount) every batch whose execution failed,
     * timed out, was aborted or never started, takes them back to pending, and runs the run again. Successful
     * executions keep their records: the result files afterwards hold the successes of every attempt and the
     * failures of the last. Only a run that ended FAILED or ABORTED is redriven; otherwise the request is dropped.
     */
    private RunState redrive(RunState run, Instant at, long timestamp) {
        if (!run.redrivable()) {
            LOG.warnf("map run %s: redrive ignored in phase %s, status %s", run.mapRunId(), run.phase(), run.status());
            return run;
        }
        int attempt = run.redriveCount() + 1;
        JsonNode processor = processors.get(run.mapRunId());
        Tally items = Tally.ZERO;
        Tally batches = Tally.ZERO;
        long count = 0;
        String from = AggregatorTopology.executionRangeFrom(run.mapRunId());
        String to = AggregatorTopology.executionRangeTo(run.mapRunId());
        List<String> page;
        do {
            page = redrivableKeys(from, to); // collected first: the store is not written while it is iterated
            for (String key : page) {
                ExecutionRecord r = executions.get(key);
                items = items.finished(r.executionStatus(), r.itemCount(), 0);
                batches = batches.finished(r.executionStatus(), 1, 0);
                count++;
                executions.put(key, r.redriving(attempt));
                BatchMessage batch = batchOf(r, processor, attempt).withMapRunArn(Arns.mapRunOf(run.config(), run.mapRunId()));
                RedriveBatch redriven = new RedriveBatch(batch, run.config().maxConcurrency());
                context.forward(new Record<>(batch.key(), redriven, timestamp), AggregatorTopology.REDRIVEN_BATCHES_SINK);
            }
            if (!page.isEmpty()) {
                from = page.get(page.size() - 1) + "\u0000";
            }
        } while (page.size() == REDRIVE_PAGE);
        LOG.infof("map run %s: redrive %d re-publishes %d batches (%d items)", run.mapRunId(), attempt, count,
                items.seen());
        return run.redriven(at, items, batches, count);
    }

    /** Up to {@link #REDRIVE_PAGE} keys of redrivable records in {@code [from, to)}, in order. */
    private List<String> redrivableKeys(String from, String to) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ExecutionRecord> range = executions.range(from, to)) {
            while (range.hasNext() && keys.size() < REDRIVE_PAGE) {
                KeyValue<String, ExecutionRecord> kv = range.next();
                if (kv.value != null && kv.value.redrivable()) {
                    keys.add(kv.key);
                }
            }
        }
        return keys;
    }

    /** The batch message of a redriven execution; an item the planner could not read stays unreadable. */
    private static BatchMessage batchOf(ExecutionRecord r, JsonNode processor, int redriveCount) {
        ItemError readerError = ItemError.MALFORMED_ITEM.equals(r.error()) ? new ItemError(r.error(), r.cause()) : null;
        // firstItemIndex is not part of an outcome, so not known here: -1 ("unknown")
        return new BatchMessage(BatchMessage.SCHEMA_VERSION, r.mapRunId(), r.batchIndex(), -1, r.itemCount(), r.input(),
                processor, redriveCount, readerError, r.inputRef());
    }
}
