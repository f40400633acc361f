package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.asl.map.MapRunSpec.ItemBatcherSpec;

import java.util.function.Consumer;

/**
 * Groups selected items into batches and hands each batch on as soon as it is closed, so that only one batch
 * is ever held. With an ItemBatcher a batch closes when the next item would pass MaxItemsPerBatch or
 * MaxInputBytesPerBatch (the bytes of the items' serialized JSON), whichever comes first; an item larger than
 * the byte limit goes alone. Without an ItemBatcher every item is its own batch.
 */
public final class ItemBatcher {

    private final ItemBatcherSpec spec;
    private final Consumer<Batch> sink;

    private ArrayNode items;
    private long bytes;
    private long nextItemIndex;
    private long firstItemIndex;
    private long batches;
    private long itemsInClosedBatches;

    public ItemBatcher(ItemBatcherSpec spec, Consumer<Batch> sink) {
        this(spec, sink, 0, 0);
    }

    /** Resumes a run's batching: the next batch gets index {@code nextBatchIndex}, the next item {@code nextItemIndex}. */
    public ItemBatcher(ItemBatcherSpec spec, Consumer<Batch> sink, long nextBatchIndex, long nextItemIndex) {
        this.spec = spec;
        this.sink = sink;
        this.batches = nextBatchIndex;
        this.nextItemIndex = nextItemIndex;
        this.itemsInClosedBatches = nextItemIndex;
    }

    /**
     * An item the reader could not parse: closes the open batch, then goes alone in a batch of its own carrying
     * the error (its input is what is known of the item: line, source, raw text).
     */
    public void addUnreadable(JsonNode item, io.dmap.common.events.ItemError error) {
        long index = nextItemIndex++;
        if (items != null) {
            close();
        }
        emit(new Batch(batches, index, 1, item, error));
    }

    public void add(JsonNode item) {
        long index = nextItemIndex++;
        if (spec == null) {
            emit(new Batch(batches, index, 1, item));
            return;
        }
        long size = spec.maxInputBytesPerBatch() == null ? 0
                : item instanceof RawItem raw ? raw.bytes() : Json.toBytes(item).length;
        if (items != null && !fits(size)) {
            close();
        }
        if (items == null) {
            items = Json.NODES.arrayNode();
            bytes = 0;
            firstItemIndex = index;
        }
        items.add(item);
        bytes += size;
        if (full()) {
            close();
        }
    }

    /** Closes the last, partly filled batch. */
    public void finish() {
        if (items != null) {
            close();
        }
    }

    /**
     * Whether a batch may close before an item, because the item does not fit (MaxInputBytesPerBatch); otherwise a
     * batch only ever closes with the item just added (it is full, or every item is a batch), so a planner need not
     * note where the source was before each item.
     */
    public boolean mayCloseBeforeAnItem() {
        return spec != null && spec.maxInputBytesPerBatch() != null;
    }

    public long batches() {
        return batches;
    }

    /** Items in batches already handed on, with those before a resume (an open batch's items are not counted). */
    public long itemsInClosedBatches() {
        return itemsInClosedBatches;
    }

    private boolean fits(long size) {
        boolean countOk = spec.maxItemsPerBatch() == null || items.size() < spec.maxItemsPerBatch();
        boolean bytesOk = spec.maxInputBytesPerBatch() == null || bytes + size <= spec.maxInputBytesPerBatch();
        return countOk && bytesOk;
    }

    private boolean full() {
        return spec.maxItemsPerBatch() != null && items.size() >= spec.maxItemsPerBatch()
                || spec.maxInputBytesPerBatch() != null && bytes >= spec.maxInputBytesPerBatch();
    }

    private void close() {
        ObjectNode input = Json.NODES.objectNode();
        if (spec.batchInput() != null) {
            input.set("BatchInput", spec.batchInput());
        }
        input.set("Items", items);
        Batch batch = new Batch(batches, firstItemIndex, items.size(), input);
        items = null;
        emit(batch);
    }

    private void emit(Batch batch) {
        sink.accept(batch);
        batches++;
        itemsInClosedBatches += batch.itemCount();
    }
}
