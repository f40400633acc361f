package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.ItemError;

/**
 * One closed batch: the input of one child execution.
 *
 * @param index          0, 1, 2, ... in source order
 * @param firstItemIndex 0-based index of its first item among all the run's items
 * @param input          the child's input: the selected item, or {@code {"BatchInput": .., "Items": [..]}}
 * @param readerError    set when the batch is one item the reader could not parse (then it is never run)
 */
public record Batch(long index, long firstItemIndex, int itemCount, JsonNode input, ItemError readerError) {

    public Batch(long index, long firstItemIndex, int itemCount, JsonNode input) {
        this(index, firstItemIndex, itemCount, input, null);
    }
}
