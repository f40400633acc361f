package io.dmap.planner.s3;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.InputStream;
import java.util.NoSuchElementException;

/**
 * InputType JSON: the file (or, with ItemsPointer, the value the JSON Pointer selects in it) is an array, each
 * element an item, or an object, each member an item: its value is the item and its name the item's key
 * ({@code $$.Map.Item.Key}). Read with Jackson's streaming parser, so neither the file nor the array is ever held:
 * the parser skips, unparsed, to the pointer's target and stops reading at the target's end. A scalar, a pointer
 * that selects nothing, or broken JSON fails the run naming the object and line. Position: {@code {"index": n}}
 * (resumed by skipping n elements or members unparsed).
 */
final class JsonFileReader implements ItemReader {

    private final S3Objects objects;
    private final String bucket;
    private final String key;
    private final String versionId;
    private final String pointer;

    /** @param pointer ItemsPointer, or null for the whole file */
    JsonFileReader(S3Objects objects, String bucket, String key, String versionId, String pointer) {
        this.objects = objects;
        this.bucket = bucket;
        this.key = key;
        this.versionId = versionId;
        this.pointer = pointer;
    }

    @Override
    public ItemStream open() {
        return open(null);
    }

    @Override
    public ItemStream open(JsonNode position) {
        String source = S3Objects.uri(bucket, key);
        InputStream in = objects.open(bucket, key, versionId, 0);
        JsonParser parser = null;
        try {
            parser = Json.MAPPER.getFactory().createParser(in);
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ItemReaderException(source + " line 1: the file is empty (InputType JSON needs an array or an object)");
            }
            if (pointer != null) {
                first = seek(parser, source);
            }
            if (first != JsonToken.START_ARRAY && first != JsonToken.START_OBJECT) {
                // AWS's text for a file (or pointer target) that is a string, number, boolean or null
                throw new ItemReaderException(source + " line " + parser.currentLocation().getLineNr()
                        + (pointer == null ? "" : " (ItemsPointer '" + pointer + "')")
                        + ": Attempting to map over non-iterable node.");
            }
            boolean members = first == JsonToken.START_OBJECT;
            long skip = position == null ? 0 : position.path("index").asLong();
            for (long i = 0; i < skip; i++) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY || token == JsonToken.END_OBJECT || token == null) {
                    break;
                }
                if (members) {
                    parser.nextToken(); // from the member's name to its value
                }
                parser.skipChildren();
            }
            return new Elements(parser, source, members, skip);
        } catch (JsonProcessingException e) {
            close(parser, in);
            throw broken(source, e);
        } catch (IOException e) {
            close(parser, in);
            throw S3Objects.failure(bucket, key, e);
        } catch (SdkException e) {
            close(parser, in);
            throw S3Objects.failure(bucket, key, e);
        } catch (RuntimeException e) {
            close(parser, in);
            throw e;
        }
    }

    /**
     * Moves the parser, positioned on the document's first token, to the first token of the value the pointer
     * selects, skipping every other value without building it; returns that token.
     */
    private JsonToken seek(JsonParser parser, String source) throws IOException {
        JsonToken token = parser.currentToken();
        String at = "";
        for (JsonPointer p = JsonPointer.compile(pointer); !p.matches(); p = p.tail()) {
            String step = p.getMatchingProperty();
            String where = source + ": ItemsPointer '" + pointer + "' selects nothing: the value at '" + at + "' ";
            boolean found = false;
            if (token == JsonToken.START_OBJECT) {
                while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    token = parser.nextToken();
                    if (name.equals(step)) {
                        found = true;
                        break;
                    }
                    parser.skipChildren();
                }
            } else if (token == JsonToken.START_ARRAY) {
                if (p.getMatchingIndex() < 0) {
                    throw new ItemReaderException(where + "is an array and '" + step + "' is not an index");
                }
                for (int i = 0; (token = parser.nextToken()) != JsonToken.END_ARRAY && token != null; i++) {
                    if (i == p.getMatchingIndex()) {
                        found = true;
                        break;
                    }
                    parser.skipChildren();
                }
            } else {
                throw new ItemReaderException(where + "is not an object or an array");
            }
            if (token == null) {
                throw new ItemReaderException(source + " line " + parser.currentLocation().getLineNr()
                        + ": not valid JSON: the file ends inside the value at '" + at + "'");
            }
            if (!found) {
                throw new ItemReaderException(where + "has no " + (token == JsonToken.END_ARRAY ? "element " : "member ") + "'" + step + "'");
            }
            at = at + "/" + step;
        }
        return token;
    }

    private static void close(JsonParser parser, InputStream in) {
        try {
            if (parser != null) {
                parser.close();
            }
            in.close();
        } catch (IOException e) {
            // abandoned
        }
    }

    private static ItemReaderException broken(String source, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return new ItemReaderException(source + (at == null ? "" : " line " + at.getLineNr() + " column " + at.getColumnNr())
                + ": not valid JSON: " + e.getOriginalMessage(), e);
    }

    private final class Elements implements ItemStream {
        private final JsonParser parser;
        private final String source;
        private final boolean members;
        private long index;
        private JsonToken pending;
        private String pendingKey;
        private String itemKey;
        private boolean ended;

        Elements(JsonParser parser, String source, boolean members, long index) {
            this.parser = parser;
            this.source = source;
            this.members = members;
            this.index = index;
        }

        @Override
        public boolean hasNext() {
            if (pending == null && !ended) {
                try {
                    JsonToken token = parser.nextToken();
                    if (members && token == JsonToken.FIELD_NAME) {
                        pendingKey = parser.currentName();
                        token = parser.nextToken();
                    }
                    if (token == null) {
                        throw new ItemReaderException(source + " line " + parser.currentLocation().getLineNr()
                                + ": not valid JSON: the " + (members ? "object" : "array")
                                + " is not closed before the end of the file");
                    }
                    if (token == JsonToken.END_ARRAY || token == JsonToken.END_OBJECT) {
                        ended = true; // the rest of the file (after a pointer's target) is never read
                    } else {
                        pending = token;
                    }
                } catch (JsonProcessingException e) {
                    throw broken(source, e);
                } catch (IOException e) {
                    throw S3Objects.failure(bucket, key, e);
                } catch (SdkException e) {
                    throw S3Objects.failure(bucket, key, e);
                }
            }
            return pending != null;
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                JsonNode item = Json.MAPPER.readTree(parser);
                pending = null;
                itemKey = members ? pendingKey : null;
                index++;
                return item;
            } catch (JsonProcessingException e) {
                throw broken(source, e);
            } catch (IOException e) {
                throw S3Objects.failure(bucket, key, e);
            } catch (SdkException e) {
                throw S3Objects.failure(bucket, key, e);
            }
        }

        @Override
        public String itemKey() {
            return itemKey;
        }

        @Override
        public String itemSource() {
            return S3Objects.source(bucket, key);
        }

        @Override
        public JsonNode position() {
            return Json.NODES.objectNode().put("index", index);
        }

        @Override
        public void close() {
            try {
                parser.close();
            } catch (IOException e) {
                // abandoned
            }
        }
    }
}
