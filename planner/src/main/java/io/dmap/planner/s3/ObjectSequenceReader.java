package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemStream;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The items of the data objects a manifest lists, object after object in the manifest's order, each read by its
 * own reader. Position: {@code {"file": <index of the object being read>, "inner": <position in it>}}.
 */
final class ObjectSequenceReader implements ItemReader {

    /** One data object. */
    record S3Ref(String bucket, String key) {
    }

    private final List<S3Ref> files;
    private final Function<S3Ref, ItemReader> reader;

    ObjectSequenceReader(List<S3Ref> files, Function<S3Ref, ItemReader> reader) {
        this.files = List.copyOf(files);
        this.reader = reader;
    }

    @Override
    public ItemStream open() {
        return open(null);
    }

    @Override
    public ItemStream open(JsonNode position) {
        int file = position == null ? 0 : position.path("file").asInt();
        JsonNode inner = position == null ? null : position.get("inner");
        return new Items(file, inner);
    }

    private final class Items implements ItemStream {
        private int file;
        private JsonNode resumeAt;
        private ItemStream current;
        private long readInCurrent;
        private String source;
        private String key;

        Items(int file, JsonNode resumeAt) {
            this.file = file;
            this.resumeAt = resumeAt;
        }

        @Override
        public boolean hasNext() {
            while (file < files.size()) {
                if (current == null) {
                    current = reader.apply(files.get(file)).open(resumeAt);
                    readInCurrent = resumeAt == null ? 0 : resumeAt.path("skip").asLong(); // for a reader without positions
                    resumeAt = null;
                }
                if (current.hasNext()) {
                    return true;
                }
                current.close();
                current = null;
                file++;
            }
            return false;
        }

        @Override
        public JsonNode next() {
            return read(false);
        }

        @Override
        public JsonNode nextVerbatim() {
            return read(true);
        }

        private JsonNode read(boolean verbatim) {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            readInCurrent++;
            JsonNode item = verbatim ? current.nextVerbatim() : current.next();
            source = current.itemSource(); // kept now: a later hasNext() may move on to the next object
            key = current.itemKey();
            return item;
        }

        @Override
        public String itemSource() {
            return source;
        }

        @Override
        public String itemKey() {
            return key;
        }

        @Override
        public JsonNode position() {
            ObjectNode position = Json.NODES.objectNode().put("file", file);
            if (current != null) {
                JsonNode inner = current.position();
                position.set("inner", inner != null ? inner : Json.NODES.objectNode().put("skip", readInCurrent));
            } else if (resumeAt != null) {
                position.set("inner", resumeAt);
            }
            return position;
        }

        @Override
        public void close() {
            if (current != null) {
                current.close();
            }
        }
    }
}
