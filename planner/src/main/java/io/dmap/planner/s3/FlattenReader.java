package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemStream;

import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Transformation LOAD_AND_FLATTEN: lists Bucket/Prefix, then reads each listed object (in listing order) as the
 * InputType and yields its items; "folder" keys ending in {@code /} are skipped. Position:
 * {@code {"key": <object being read>, "inner": <position in it>}}; a resume finishes that object, then lists the
 * keys after it.
 */
final class FlattenReader implements ItemReader {

    private final ListObjectsV2Reader listing;
    private final Function<String, ItemReader> objectReader;

    FlattenReader(ListObjectsV2Reader listing, Function<String, ItemReader> objectReader) {
        this.listing = listing;
        this.objectReader = objectReader;
    }

    @Override
    public ItemStream open() {
        return open(null);
    }

    @Override
    public ItemStream open(JsonNode position) {
        String key = position == null ? null : position.path("key").asText(null);
        ItemStream keys = listing.open(key == null ? null : Json.NODES.objectNode().put("startAfter", key));
        ItemStream current = key == null ? null : objectReader.apply(key).open(position.get("inner"));
        return new Items(keys, key, current);
    }

    private final class Items implements ItemStream {
        private final ItemStream keys;
        private String key;
        private ItemStream current;
        private long readInCurrent;
        private String source;
        private String memberKey;

        Items(ItemStream keys, String key, ItemStream current) {
            this.keys = keys;
            this.key = key;
            this.current = current;
        }

        @Override
        public boolean hasNext() {
            while (current == null || !current.hasNext()) {
                if (current != null) {
                    current.close();
                    current = null;
                }
                if (!keys.hasNext()) {
                    return false;
                }
                String next = keys.next().get("Key").asText();
                if (!next.endsWith("/")) {
                    key = next;
                    current = objectReader.apply(key).open(null);
                    readInCurrent = 0;
                }
            }
            return true;
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            readInCurrent++;
            JsonNode item = current.next();
            source = current.itemSource(); // kept now: a later hasNext() may move on to the next object
            memberKey = current.itemKey();
            return item;
        }

        @Override
        public String itemSource() {
            return source;
        }

        @Override
        public String itemKey() {
            return memberKey;
        }

        @Override
        public JsonNode position() {
            JsonNode inner = current.position();
            ObjectNode position = Json.NODES.objectNode().put("key", key);
            position.set("inner", inner != null ? inner : Json.NODES.objectNode().put("skip", readInCurrent));
            return position;
        }

        @Override
        public void close() {
            if (current != null) {
                current.close();
            }
            keys.close();
        }
    }
}
