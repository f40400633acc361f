package io.dmap.planner.planning;

import io.dmap.asl.map.MapRunSpec;
import io.dmap.asl.map.MapRunSpec.ItemReaderSpec;

/**
 * {@code $$.Map.Item.Source} when the item stream does not say (AWS's values): {@code STATE_DATA} for items from
 * the Input, {@code S3://bucket} for a listing, {@code S3://bucket/key} for one object. Null for LOAD_AND_FLATTEN, where
 * each item's object is known only to the reader.
 */
final class ItemSources {

    private ItemSources() {
    }

    static String of(MapRunSpec spec) {
        ItemReaderSpec reader = spec.itemReader();
        if (reader == null) {
            return InputArrayReader.STATE_DATA;
        }
        if (reader.resource() == MapRunSpec.ReaderResource.LIST_OBJECTS_V2) {
            return reader.readerConfig().loadAndFlatten() ? null : "S3://" + reader.bucket();
        }
        return "S3://" + reader.bucket() + "/" + reader.key();
    }
}
