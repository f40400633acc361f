package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.ItemReaderException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CSV records as AWS reads them (RFC 4180 and AWS's backslash rule) from a {@link ByteInput}: fields split by the
 * delimiter; a field that starts with {@code "} is quoted and may hold the delimiter and newlines; {@code ""} is one
 * quote, in a quoted field or not; a backslash escapes a backslash, a quote or the delimiter, and is dropped before any other character (in
 * or out of quotes); records end at LF, CRLF or a lone CR; empty lines are skipped. Each record also keeps its
 * first line number and its size.
 */
final class CsvRecords {

    private final ByteInput in;
    private final int delimiter;
    private final String source;
    private byte[] field = new byte[256];
    private int fieldLength;
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
            if (b == '\\') {
                escaped();
                fieldStart = false;
            } else if (b == delimiter) {
                fields.add(text());
                fieldStart = true;
            } else if (b == '"' && fieldStart) {
                quoted();
                fieldStart = false;
            } else if (b == '"' && in.peek() == '"') {
                keep(in.read()); // AWS: a repeated quote is one quote, in an unquoted field too
                append(b);
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
            if (b == '\\') {
                escaped();
                continue;
            }
            if (b == '"') {
                if (in.peek() != '"') {
                    return;
                }
                keep(in.read());
            }
            append(b);
        }
    }

    /**
     * After a backslash: a backslash, quote or delimiter that follows is taken as itself; before anything else
     * (including a line end) the backslash is dropped and the next byte read as usual (AWS: "silently removed").
     */
    private void escaped() throws IOException {
        int next = in.peek();
        if (next == '\\' || next == '"' || next == delimiter) {
            keep(in.read());
            append(next);
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

    /**
     * A record as an item: each field under its header. As on AWS, a record with fewer fields gets {@code ""} for
     * the missing ones and the fields beyond the headers are dropped.
     */
    static ObjectNode item(List<String> fields, List<String> names) {
        ObjectNode item = Json.NODES.objectNode();
        for (int i = 0; i < names.size(); i++) {
            item.put(names.get(i), i < fields.size() ? fields.get(i) : "");
        }
        return item;
    }

    private void keep(int b) {
        recordBytes++;
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
