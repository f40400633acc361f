package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.events.PlanningFailed;
import io.dmap.common.events.RunPlanned;
import io.dmap.common.json.Json;
import io.dmap.common.spec.MapRunSpec;
import io.dmap.common.spec.Placement;

import java.time.Clock;

/**
 * Plans one map run: reads the items in source order, applies MaxItems, the ItemSelector and the ItemBatcher,
 * and publishes each batch as soon as it is closed, on the partition {@link Placement} gives it. Ends with
 * {@code RunPlanned(totalItems, totalBatches)}, or with {@code PlanningFailed} when the source cannot be read.
 */
public final class BatchPlanner {

    public static final String ITEM_READER_FAILED = "States.ItemReaderFailed";
    public static final String RUNTIME = "States.Runtime";

    private final PlanSink sink;
    private final Clock clock;

    public BatchPlanner(PlanSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /**
     * @param partitions the partition count of the batches topic (the cluster's parallelism P)
     */
    public PlanResult plan(String mapRunId, MapRunSpec spec, ItemReader reader, int partitions) {
        JsonNode input = spec.input() == null ? Json.NODES.objectNode() : spec.input();
        ItemSelector selector = ItemSelector.of(spec.itemSelector());
        ItemBatcher batcher = new ItemBatcher(spec.itemBatcher(), batch -> sink.batch(
                BatchMessage.of(mapRunId, batch.index(), batch.firstItemIndex(), batch.itemCount(), batch.input(),
                        spec.itemProcessor()),
                Placement.partitionFor(mapRunId, batch.index(), spec.maxConcurrency(), partitions)));
        Long maxItems = spec.itemReader() == null ? null : spec.itemReader().readerConfig().maxItems();
        try (ItemStream items = reader.open()) {
            long index = 0;
            while ((maxItems == null || index < maxItems) && items.hasNext()) {
                batcher.add(selector.select(items.next(), index, input));
                index++;
            }
            batcher.finish();
            sink.flush();
            sink.planned(RunPlanned.of(mapRunId, index, batcher.batches(), clock.instant()));
            return new PlanResult(index, batcher.batches(), null, null);
        } catch (ItemReaderException e) {
            return fail(mapRunId, batcher, ITEM_READER_FAILED, e.getMessage());
        } catch (ItemSelectorException e) {
            return fail(mapRunId, batcher, RUNTIME, e.getMessage());
        } catch (PlanSink.PublishException e) {
            return report(mapRunId, batcher, RUNTIME, e.getMessage());
        }
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
}
