package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One source of items (an S3 listing, an S3 object as JSON / JSONL / CSV / inventory manifest, the request's Input
 * array). {@link #open()} starts reading; the stream yields items lazily in source order, so a reader never holds
 * all items. A source that cannot be read throws {@link ItemReaderException} naming the object (and line).
 */
public interface ItemReader {

    ItemStream open();

    /**
     * Starts reading at a position a stream of this reader gave ({@link ItemStream#position()}), or at the start
     * when it is null. A reader whose streams give no position is resumed by skipping {@code {"skip": n}} items.
     */
    default ItemStream open(JsonNode position) {
        ItemStream stream = open();
        if (position != null) {
            skip(stream, position.path("skip").asLong());
        }
        return stream;
    }

    /** Reads and drops {@code n} items, malformed ones included. */
    static void skip(ItemStream stream, long n) {
        for (long i = 0; i < n && stream.hasNext(); i++) {
            try {
                stream.next();
            } catch (MalformedItemException e) {
                // it was counted as an item when it was first read
            }
        }
    }
}
