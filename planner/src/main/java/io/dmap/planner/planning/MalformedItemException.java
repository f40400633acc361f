package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * One item of the source cannot be parsed (a malformed JSONL line, a CSV row with the wrong number of fields).
 * Only that item fails: it becomes a batch of its own, never run, that ends FAILED. The stream that threw it goes
 * on with the next item. The message is the cause: {@code s3://bucket/key line N: reason}.
 */
public class MalformedItemException extends RuntimeException {

    /** At most this many bytes of the raw line are kept in the failed item. */
    public static final int MAX_RAW_BYTES = 1024;

    private final String source;
    private final long line;
    private final String raw;

    public MalformedItemException(String source, long line, byte[] raw, int rawLength, String reason) {
        super(source + " line " + line + ": " + reason);
        this.source = source;
        this.line = line;
        this.raw = truncate(raw, rawLength);
    }

    public String source() {
        return source;
    }

    public long line() {
        return line;
    }

    public String raw() {
        return raw;
    }

    /** The failed item as it appears in the results: {@code {"line": N, "source": "s3://b/k", "raw": ".."}}. */
    public JsonNode item() {
        ObjectNode item = Json.NODES.objectNode();
        item.put("line", line);
        item.put("source", source);
        item.put("raw", raw);
        return item;
    }

    /** The text of at most {@link #MAX_RAW_BYTES} bytes, not cutting a UTF-8 character in two. */
    static String truncate(byte[] bytes, int length) {
        int n = Math.min(length, MAX_RAW_BYTES);
        if (n < length) {
            while (n > 0 && (bytes[n] & 0xC0) == 0x80) {
                n--; // bytes[n] continues a character that started before: cut before that character
            }
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
