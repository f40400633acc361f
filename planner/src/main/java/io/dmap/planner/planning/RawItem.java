package io.dmap.planner.planning;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.dmap.common.json.Json;

import java.io.IOException;

/**
 * An item kept as the source's own JSON text: checked to be exactly one JSON value by a streaming parse (no tree is
 * built), and written back verbatim wherever it is serialized (a batch's input, its Items array). Planning passes
 * items through unchanged when there is no ItemSelector, and building then re-serializing a tree per item was the
 * largest cost of planning a JSONL object. The text equals what the tree would serialize to as JSON, not byte for
 * byte: whitespace inside the value and the spelling of numbers ({@code 1e2}, {@code 0.10}) are the source's. It is
 * kept as the source's UTF-8 bytes ({@link Utf8JsonText}), which a message's serialization copies as they are: decoding
 * each line to a String and encoding it again was the next largest cost.
 */
public final class RawItem extends POJONode {

    private final int bytes;

    private RawItem(Utf8JsonText text, int bytes) {
        super(new RawValue(text));
        this.bytes = bytes;
    }

    /**
     * The first {@code length} bytes of {@code text} (UTF-8) as a raw item when they are one JSON value with at most
     * whitespace around it; null when they are not (invalid JSON, or a value followed by more): then the caller
     * parses them into a tree as before, which gives the same item, or the same error, as without this shortcut.
     */
    public static RawItem ifOneValue(byte[] text, int length) {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(text, 0, length)) {
            if (parser.nextToken() == null) {
                return null;
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return new RawItem(Utf8JsonText.of(text, length), length);
    }

    /** The size of its JSON text in UTF-8: what it adds to a batch's input (MaxInputBytesPerBatch). */
    public int bytes() {
        return bytes;
    }
}
