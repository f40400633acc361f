package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.MalformedItemException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CSV records (RFC 4180 as AWS reads it) from a {@link ByteInput}: fields split by the delimiter; a field that
 * starts with {@code "} is quoted and may hold the delimiter, newlines and {@code ""} (one quote); records end at
 * LF, CRLF or a lone CR; empty lines are skipped. Each record also keeps its first line number, its size and its
 * first {@link MalformedItemException#MAX_RAW_BYTES} bytes.
 */
final class CsvRecords {

    private final ByteInput in;
    private final int delimiter;
    private final String source;
    private final byte[] raw = new byte[MalformedItemException.MAX_RAW_BYTES + 4];
    private byte[] field = new byte[256];
    private int fieldLength;
    private int rawLength;
    private long recordBytes;
    private long recordLine;

    CsvRecords(ByteInput in, char delimiter, String source) {
        this.in = in;
        this.delimiter = delimiter;
        this.source = source;
    }

    /** The next record's fields, or null at the end of the input. */
    List<String> next() throws IOException {
        int b;
        do {
            recordLine = in.line();
            b = in.read();
            if (b == '\r' && in.peek() == '\n') {
                in.read();
            }
        } while (b == '\n' || b == '\r');
        if (b < 0) {
            return null;
        }
        rawLength = 0;
        recordBytes = 0;
        List<String> fields = new ArrayList<>();
        fieldLength = 0;
        boolean fieldStart = true;
        while (true) {
            if (b < 0 || b == '\n') {
                fields.add(text());
                return fields;
            }
            if (b == '\r') {
                if (in.peek() == '\n') {
                    in.read();
                }
                fields.add(text());
                return fields;
            }
            keep(b);
            if (b == delimiter) {
                fields.add(text());
                fieldStart = true;
            } else if (b == '"' && fieldStart) {
                quoted();
                fieldStart = false;
            } else {
                append(b);
                fieldStart = false;
            }
            b = in.read();
        }
    }

    /** Reads a quoted field's content up to and including its closing quote. */
    private void quoted() throws IOException {
        long startLine = in.line();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new ItemReaderException(source + " line " + startLine
                        + ": a quoted CSV field is not closed before the end of the file");
            }
            keep(b);
            if (b == '"') {
                if (in.peek() != '"') {
                    return;
                }
                keep(in.read());
            }
            append(b);
        }
    }

    /** 1-based line on which the last record started. */
    long line() {
        return recordLine;
    }

    /** Bytes of the last record, without its line end. */
    long bytes() {
        return recordBytes;
    }

    byte[] raw() {
        return raw;
    }

    int rawLength() {
        return rawLength;
    }

    /**
     * The last record as an item: each field under its name. A record with another number of fields is a malformed
     * item (that item fails, the run goes on); {@code fieldsLabel} says what was expected, e.g. "CSV fields".
     */
    ObjectNode item(List<String> fields, List<String> names, String source, String fieldsLabel) {
        if (fields.size() != names.size()) {
            throw new MalformedItemException(source, line(), raw(), rawLength(),
                    "expected " + names.size() + " " + fieldsLabel + " but found " + fields.size());
        }
        ObjectNode item = Json.NODES.objectNode();
        for (int i = 0; i < fields.size(); i++) {
            item.put(names.get(i), fields.get(i));
        }
        return item;
    }

    private void keep(int b) {
        recordBytes++;
        if (rawLength < raw.length) {
            raw[rawLength++] = (byte) b;
        }
    }

    private void append(int b) {
        if (fieldLength == field.length) {
            field = Arrays.copyOf(field, field.length * 2);
        }
        field[fieldLength++] = (byte) b;
    }

    private String text() {
        String text = new String(field, 0, fieldLength, StandardCharsets.UTF_8);
        fieldLength = 0;
        return text;
    }
}
