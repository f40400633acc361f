package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;

/** Items in source order, read lazily. {@code hasNext}/{@code next} may throw {@link ItemReaderException}. */
public interface ItemStream extends Iterator<JsonNode>, AutoCloseable {

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
