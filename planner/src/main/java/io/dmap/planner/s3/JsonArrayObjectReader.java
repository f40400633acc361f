package io.dmap.planner.s3;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
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
 * InputType JSON: the object is one JSON array; each element is an item. Read with Jackson's streaming parser,
 * one element at a time, so the array is never held. An object that is not an array, or broken JSON, fails the run
 * naming the object and line. Position: {@code {"index": n}} (resumed by skipping n elements unparsed).
 */
final class JsonArrayObjectReader implements ItemReader {

    private final S3Objects objects;
    private final String bucket;
    private final String key;
    private final String versionId;

    JsonArrayObjectReader(S3Objects objects, String bucket, String key, String versionId) {
        this.objects = objects;
        this.bucket = bucket;
        this.key = key;
        this.versionId = versionId;
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
            if (first != JsonToken.START_ARRAY) {
                throw new ItemReaderException(source + " line " + parser.currentLocation().getLineNr()
                        + ": the file is not a JSON array (InputType JSON needs a top-level array)"
                        + (first == null ? "; it is empty" : ""));
            }
            long skip = position == null ? 0 : position.path("index").asLong();
            for (long i = 0; i < skip; i++) {
                if (parser.nextToken() == JsonToken.END_ARRAY) {
                    break;
                }
                parser.skipChildren();
            }
            return new Elements(parser, source, skip);
        } catch (JsonProcessingException e) {
            close(parser, in);
            throw broken(source, e);
        } catch (IOException e) {
            close(parser, in);
            throw S3Objects.failure(bucket, key, e);
        } catch (RuntimeException e) {
            close(parser, in);
            throw e;
        }
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
        private long index;
        private JsonToken pending;
        private boolean ended;

        Elements(JsonParser parser, String source, long index) {
            this.parser = parser;
            this.source = source;
            this.index = index;
        }

        @Override
        public boolean hasNext() {
            if (pending == null && !ended) {
                try {
                    JsonToken token = parser.nextToken();
                    if (token == null) {
                        throw new ItemReaderException(source + " line " + parser.currentLocation().getLineNr()
                                + ": not valid JSON: the array is not closed before the end of the file");
                    }
                    if (token == JsonToken.END_ARRAY) {
                        ended = true;
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
