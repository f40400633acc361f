package io.dmap.planner.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import io.dmap.planner.planning.MalformedItemException;
import io.dmap.planner.planning.RawItem;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * InputType JSONL: one item per line, each a JSON value; blank lines are skipped. A line that is not valid JSON
 * fails that item only. Position: {@code {"offset": <byte offset of the next line>, "line": n}}, resumed with a
 * Range request (for a compressed object: an offset in the decompressed content, see {@link S3Objects#open}).
 * {@link ItemStream#nextVerbatim()} gives a line that is one JSON value as its own text ({@link RawItem}), unparsed.
 */
final class JsonlObjectReader implements ItemReader {

    /** A longer line fails the run: a line is one item, and items are far smaller in practice. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final S3Objects objects;
    private final String bucket;
    private final String key;
    private final String versionId;

    JsonlObjectReader(S3Objects objects, String bucket, String key, String versionId) {
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
        long offset = position == null ? 0 : position.path("offset").asLong();
        long line = position == null ? 1 : position.path("line").asLong(1);
        ByteInput in = new ByteInput(objects.open(bucket, key, versionId, offset), offset, line);
        try {
            if (offset == 0) {
                in.skipBom();
            }
        } catch (IOException e) {
            in.close();
            throw S3Objects.failure(bucket, key, e);
        }
        return new Lines(in, S3Objects.uri(bucket, key));
    }

    private final class Lines implements ItemStream {
        private final ByteInput in;
        private final String source;
        private final String itemSource = S3Objects.source(bucket, key);
        private byte[] buffer = new byte[1024];
        private int length = -1; // -1: no pending line
        private long pendingLine;
        private boolean ended;
        private long offset;
        private long line;

        Lines(ByteInput in, String source) {
            this.in = in;
            this.source = source;
            this.offset = in.offset();
            this.line = in.line();
        }

        @Override
        public boolean hasNext() {
            if (length < 0 && !ended) {
                try {
                    readLine();
                } catch (IOException e) {
                    throw S3Objects.failure(bucket, key, e);
                } catch (SdkException e) {
                    throw S3Objects.failure(bucket, key, e);
                }
            }
            return length >= 0;
        }

        /** Reads the next non-blank line into the buffer, or sets {@code ended}. */
        private void readLine() throws IOException {
            while (true) {
                pendingLine = in.line();
                int n = 0;
                boolean blank = true;
                int b = in.read();
                if (b < 0) {
                    ended = true;
                    return;
                }
                while (b >= 0 && b != '\n') {
                    if (n == buffer.length) {
                        if (n >= MAX_LINE_BYTES) {
                            throw new ItemReaderException(source + " line " + pendingLine + ": longer than "
                                    + MAX_LINE_BYTES + " bytes");
                        }
                        buffer = Arrays.copyOf(buffer, n * 2);
                    }
                    buffer[n++] = (byte) b;
                    blank &= b == ' ' || b == '\t' || b == '\r';
                    b = in.read();
                }
                if (!blank) {
                    length = n > 0 && buffer[n - 1] == '\r' ? n - 1 : n;
                    return;
                }
            }
        }

        @Override
        public JsonNode next() {
            return parse(take());
        }

        /** The line as a {@link RawItem} when it is one JSON value: checked by a streaming parse, no tree built. */
        @Override
        public JsonNode nextVerbatim() {
            int n = take();
            JsonNode item = RawItem.ifOneValue(buffer, n);
            return item != null ? item : parse(n);
        }

        /** Moves past the pending line; returns its length (it stays in the buffer until the next read). */
        private int take() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int n = length;
            length = -1;
            offset = in.offset();
            line = in.line();
            return n;
        }

        private JsonNode parse(int n) {
            try {
                return Json.MAPPER.readTree(buffer, 0, n);
            } catch (JsonProcessingException e) {
                throw new MalformedItemException(source, pendingLine, buffer, n, "not valid JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new MalformedItemException(source, pendingLine, buffer, n, "not valid JSON: " + e.getMessage());
            }
        }

        @Override
        public String itemSource() {
            return itemSource;
        }

        @Override
        public JsonNode position() {
            return Json.NODES.objectNode().put("offset", offset).put("line", line);
        }

        @Override
        public void close() {
            in.close();
        }
    }
}
