package io.dmap.common.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One child execution to run, on {@code map-batches}. {@code input} is the child's input exactly as
 * the ItemProcessor receives it: the selected item, or {@code {"BatchInput": .., "Items": [..]}} with an
 * ItemBatcher. {@code itemCount} items, the first at 0-based item index {@code firstItemIndex}.
 * {@code processor} is the ItemProcessor definition ({@code StartAt}, {@code States}) as posted.
 * {@code batchIndex} is deterministic (0, 1, 2, ... in source order), so a replayed batch is recognisable.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchMessage(int v, String mapRunId, long batchIndex, long firstItemIndex, int itemCount,
                           JsonNode input, JsonNode processor, int redriveCount) {

    public static final int SCHEMA_VERSION = 1;

    public static BatchMessage of(String mapRunId, long batchIndex, long firstItemIndex, int itemCount,
                                  JsonNode input, JsonNode processor) {
        return new BatchMessage(SCHEMA_VERSION, mapRunId, batchIndex, firstItemIndex, itemCount, input, processor, 0);
    }

    /** Record key on map-batches: readable and unique per batch. */
    public String key() {
        return key(mapRunId, batchIndex);
    }

    public static String key(String mapRunId, long batchIndex) {
        return mapRunId + "/" + batchIndex;
    }
}
