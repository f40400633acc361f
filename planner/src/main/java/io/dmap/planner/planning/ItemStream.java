package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;

/**
 * Items in source order, read lazily. {@code hasNext}/{@code next} may throw {@link ItemReaderException} (the
 * source cannot be read: the run fails) or, from {@code next}, {@link MalformedItemException} (this one item
 * cannot be parsed: the stream stays usable and goes on with the next item).
 */
public interface ItemStream extends Iterator<JsonNode>, AutoCloseable {

    /**
     * Where the stream is now, as a JSON value its reader's {@link ItemReader#open(JsonNode)} resumes from: the
     * next item it would return is the first one the resumed stream returns. Null when the stream cannot say;
     * then a resume skips the items already returned ({@code {"skip": n}}).
     */
    default JsonNode position() {
        return null;
    }

    /**
     * The next item for a planner that passes items on unchanged (no ItemSelector): a stream that can check an item
     * is one JSON value without building its tree returns it as a {@link RawItem}; otherwise (and by default) the
     * same as {@link #next()}, and in every case it throws what {@code next()} would.
     */
    default JsonNode nextVerbatim() {
        return next();
    }

    /**
     * The key of the item the last {@link #next()} returned when the source is a JSON object iterated key by key
     * ({@code $$.Map.Item.Key}); null for every other source.
     */
    default String itemKey() {
        return null;
    }

    /**
     * Where the item the last {@link #next()} returned came from ({@code $$.Map.Item.Source}), as AWS names it:
     * {@code STATE_DATA} for the request's Input, {@code S3://bucket} for a listObjectsV2 listing,
     * {@code S3://bucket/key} for an item read from an object (a flattened or manifest data object included).
     * Null when the stream cannot say.
     */
    default String itemSource() {
        return null;
    }

    /** Releases what the reader holds (an open object, a connection); never throws. */
    @Override
    default void close() {
    }

    static ItemStream of(Iterator<JsonNode> items) {
        return new ItemStream() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public JsonNode next() {
                return items.next();
            }
        };
    }
}
