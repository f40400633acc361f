package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.ItemError;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.json.Json;
import io.dmap.asl.StatesError;
import io.dmap.asl.map.MapContext;
import io.dmap.asl.map.MapRunResolver;
import io.dmap.asl.map.MapRunSpec;
import io.dmap.common.spec.Placement;

import java.time.Clock;
import java.util.function.Function;

/**
 * Plans one map run: reads the items in source order, applies MaxItems, the ItemSelector and the ItemBatcher,
 * and publishes each batch as soon as it is closed, on the partition {@link Placement} gives it. Ends with
 * {@code RunPlanned(totalItems, totalBatches)}, or with {@code PlanningFailed} when the source cannot be read.
 *
 * <p>Resumable: every so often ({@link CheckpointPolicy}) it hands the sink a {@link PlanCheckpoint} naming the
 * first item not yet in a closed batch (its index, the next batch index, and the reader's position before it), and
 * {@link #plan(String, MapRunSpec, ItemReader, int, PlanCheckpoint)} continues from such a checkpoint, so that
 * every item lands in exactly one batch across planners. An item the reader cannot parse
 * ({@link MalformedItemException}) becomes a batch of its own carrying the error.
 */
public final class BatchPlanner {

    public static final String ITEM_READER_FAILED = "States.ItemReaderFailed";
    public static final String RUNTIME = "States.Runtime";

    private final PlanSink sink;
    private final Clock clock;
    private final CheckpointPolicy policy;
    private final long maxItemsPerRun;

    public BatchPlanner(PlanSink sink, Clock clock) {
        this(sink, clock, CheckpointPolicy.NEVER);
    }

    public BatchPlanner(PlanSink sink, Clock clock, CheckpointPolicy policy) {
        this(sink, clock, policy, Long.MAX_VALUE);
    }

    /** @param maxItemsPerRun a source with more items (after MaxItems) fails the run (planner.limits.max-items-per-run) */
    public BatchPlanner(PlanSink sink, Clock clock, CheckpointPolicy policy, long maxItemsPerRun) {
        this.sink = sink;
        this.clock = clock;
        this.policy = policy;
        this.maxItemsPerRun = maxItemsPerRun;
    }

    /**
     * @param partitions the partition count of the batches topic (the cluster's parallelism P)
     */
    public PlanResult plan(String mapRunId, MapRunSpec spec, ItemReader reader, int partitions) {
        return plan(mapRunId, spec, reader, partitions, null);
    }

    /** Plans with {@code reader} for items, in a context object of a run accepted now. */
    public PlanResult plan(String mapRunId, MapRunSpec spec, ItemReader reader, int partitions, PlanCheckpoint resume) {
        return plan(mapRunId, spec, MapContext.forRun(mapRunId, spec, clock.instant()), s -> reader, partitions, resume);
    }

    /**
     * Resolves the spec's run-start fields ({@link MapRunResolver}: paths, Parameters, BatchInput...) in
     * {@code context}, then reads the items with the reader {@code readers} gives for the resolved spec. A value that
     * cannot be resolved fails the run before anything is published (PlanningFailed with AWS's error and cause).
     *
     * @param resume the last committed checkpoint of this run, or null to start from the beginning
     * @throws PlanSink.StoppedException when the sink asked to stop: nothing more was published or reported
     */
    public PlanResult plan(String mapRunId, MapRunSpec posted, MapContext context,
                           Function<MapRunSpec, ItemReader> readers, int partitions, PlanCheckpoint resume) {
        MapRunSpec spec;
        try {
            spec = MapRunResolver.resolve(posted, context);
        } catch (StatesError e) {
            sink.failed(PlanningFailed.of(mapRunId, e.error(), e.cause(), 0, 0, clock.instant()));
            return new PlanResult(0, 0, e.error(), e.cause());
        }
        ItemReader reader = readers.apply(spec);
        String defaultSource = ItemSources.of(spec);
        JsonNode input = spec.input() == null ? Json.NODES.objectNode() : spec.input();
        ItemSelector selector = ItemSelector.of(spec.itemSelector(), spec.runTime() != null && spec.runTime().jsonata(),
                input, context);
        long firstBatch = resume == null ? 0 : resume.nextBatchIndex();
        long firstItem = resume == null ? 0 : resume.itemsPublished();
        ItemBatcher batcher = new ItemBatcher(spec.itemBatcher(), batch -> sink.batch(message(mapRunId, spec, batch),
                Placement.partitionFor(mapRunId, batch.index(), spec.maxConcurrency(), partitions)),
                firstBatch, firstItem);
        Long maxItems = spec.itemReader() == null ? null : spec.itemReader().readerConfig().maxItems();
        Progress progress = new Progress(mapRunId, firstBatch, firstItem);
        try (ItemStream items = reader.open(resume == null ? null : resume.position())) {
            long index = firstItem;
            boolean verbatim = selector.passesItemsUnchanged();
            // a position is built only for a checkpoint, and before each item only when a batch can close before one
            boolean positionBefore = batcher.mayCloseBeforeAnItem();
            JsonNode before = resume == null ? null : resume.position();
            while ((maxItems == null || index < maxItems) && items.hasNext()) {
                if (sink.stopRequested()) {
                    throw new PlanSink.StoppedException("map run " + mapRunId + ": planning stopped at item " + index, null);
                }
                if (index >= maxItemsPerRun) { // and there is one more: the run is larger than this planner allows
                    return fail(mapRunId, batcher, ITEM_READER_FAILED, "the map run has more than " + maxItemsPerRun
                            + " items, the most one run may have here (planner.limits.max-items-per-run); set MaxItems "
                            + "or split the source");
                }
                long batchesBefore = batcher.batches();
                try {
                    JsonNode item = verbatim ? items.nextVerbatim() : items.next();
                    String source = items.itemSource();
                    batcher.add(selector.select(item, index, items.itemKey(), source != null ? source : defaultSource));
                } catch (MalformedItemException e) {
                    batcher.addUnreadable(e.item(), new ItemError(ItemError.MALFORMED_ITEM, e.getMessage()));
                }
                index++;
                JsonNode after = positionBefore ? position(items, index) : null;
                if (batcher.batches() != batchesBefore && progress.closed(batcher)) {
                    // resume after the item when it is in a closed batch, else before it (it opens the next batch)
                    checkpoint(progress, batcher.itemsInClosedBatches() < index ? before
                            : after != null ? after : position(items, index));
                }
                before = after;
            }
            batcher.finish();
            sink.flush();
            sink.planned(RunPlanned.of(mapRunId, index, batcher.batches(), clock.instant()));
            return new PlanResult(index, batcher.batches(), null, null);
        } catch (ItemReaderException e) {
            return fail(mapRunId, batcher, ITEM_READER_FAILED, e.getMessage());
        } catch (ItemSelectorException e) {
            return fail(mapRunId, batcher, e.error(), e.getMessage());
        } catch (PlanSink.PublishException e) {
            return report(mapRunId, batcher, RUNTIME, e.getMessage());
        }
    }

    private static BatchMessage message(String mapRunId, MapRunSpec spec, Batch batch) {
        if (batch.readerError() != null) {
            return BatchMessage.unreadable(mapRunId, batch.index(), batch.firstItemIndex(), batch.input(),
                    spec.itemProcessor(), batch.readerError());
        }
        return BatchMessage.of(mapRunId, batch.index(), batch.firstItemIndex(), batch.itemCount(), batch.input(),
                spec.itemProcessor());
    }

    /** The stream's position, or the number of items read from it when it has none. */
    private static JsonNode position(ItemStream items, long itemsRead) {
        JsonNode position = items.position();
        return position != null ? position : Json.NODES.objectNode().put("skip", itemsRead);
    }

    /** Commits the point where every item read is in a closed batch, {@code position} in the source. */
    private void checkpoint(Progress progress, JsonNode position) {
        sink.checkpoint(PlanCheckpoint.of(progress.mapRunId, progress.safeBatch, progress.safeItem, position, false));
        progress.lastCheckpointBatch = progress.safeBatch;
        progress.lastCheckpointAt = progress.now;
        progress.taken++;
    }

    /** The batches closed so far are published (they are counted as published), then the failure. */
    private PlanResult fail(String mapRunId, ItemBatcher batcher, String error, String cause) {
        try {
            sink.flush();
        } catch (PlanSink.PublishException e) {
            return report(mapRunId, batcher, error, cause + "; also " + e.getMessage());
        }
        return report(mapRunId, batcher, error, cause);
    }

    private PlanResult report(String mapRunId, ItemBatcher batcher, String error, String cause) {
        sink.failed(PlanningFailed.of(mapRunId, error, cause, batcher.itemsInClosedBatches(), batcher.batches(),
                clock.instant()));
        return new PlanResult(batcher.itemsInClosedBatches(), batcher.batches(), error, cause);
    }

    /** The last point where every item read is in a closed batch: where a successor would resume. */
    private final class Progress {
        final String mapRunId;
        long safeBatch;
        long safeItem;
        long lastCheckpointBatch;
        long lastCheckpointAt;
        long now;
        /** Checkpoints taken by this planning (the interval grows with them, see {@link CheckpointPolicy}). */
        int taken;

        Progress(String mapRunId, long batch, long item) {
            this.mapRunId = mapRunId;
            this.safeBatch = batch;
            this.safeItem = item;
            this.lastCheckpointBatch = batch;
            this.lastCheckpointAt = clock.millis();
        }

        /**
         * A batch closed while adding the item just read; true when a checkpoint is due now: enough batches closed
         * since the last one, or enough time passed. Only asked when a batch has just closed, where the reader can
         * still say where a successor resumes, so that its position is built only for a checkpoint (one due by time
         * waits for the next batch to close).
         */
        boolean closed(ItemBatcher batcher) {
            safeBatch = batcher.batches();
            safeItem = batcher.itemsInClosedBatches();
            now = clock.millis();
            return policy.due(safeBatch - lastCheckpointBatch, now - lastCheckpointAt, taken);
        }
    }
}
