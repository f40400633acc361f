package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One closed batch: the input of one child execution.
 *
 * @param index          0, 1, 2, ... in source order
 * @param firstItemIndex 0-based index of its first item among all the run's items
 * @param input          the child's input: the selected item, or {@code {"BatchInput": .., "Items": [..]}}
 */
public record Batch(long index, long firstItemIndex, int itemCount, JsonNode input) {
}
