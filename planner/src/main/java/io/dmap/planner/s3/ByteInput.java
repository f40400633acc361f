package io.dmap.planner.s3;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered byte stream that knows its offset in the object (so a reader can resume with a Range request) and
 * the line it is on. CSV and JSONL are parsed at the byte level: their structural characters are ASCII, and in
 * UTF-8 no byte of a multi-byte character is ASCII, so offsets are exact and text is decoded field by field.
 */
final class ByteInput implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER];
    private int length;
    private int next;
    private long offset;
    private long line;

    /**
     * @param offset the offset in the object of the stream's first byte
     * @param line   the 1-based line number of that byte
     */
    ByteInput(InputStream in, long offset, long line) {
        this.in = in;
        this.offset = offset;
        this.line = line;
    }

    /** The next byte (0..255), or -1 at the end; counts lines at each {@code \n}. */
    int read() throws IOException {
        if (next == length && !fill()) {
            return -1;
        }
        int b = buffer[next++] & 0xFF;
        offset++;
        if (b == '\n') {
            line++;
        }
        return b;
    }

    /** The next byte without consuming it, or -1 at the end. */
    int peek() throws IOException {
        if (next == length && !fill()) {
            return -1;
        }
        return buffer[next] & 0xFF;
    }

    /** Offset in the object of the next byte. */
    long offset() {
        return offset;
    }

    /** 1-based line number of the next byte. */
    long line() {
        return line;
    }

    /** Skips a UTF-8 byte order mark if the stream starts with one (call only at offset 0). */
    void skipBom() throws IOException {
        if (next == length && !fill()) {
            return;
        }
        while (length - next < 3) {
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                break;
            }
            length += n;
        }
        if (length - next >= 3 && (buffer[next] & 0xFF) == 0xEF && (buffer[next + 1] & 0xFF) == 0xBB
                && (buffer[next + 2] & 0xFF) == 0xBF) {
            next += 3;
            offset += 3;
        }
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        length = n;
        next = 0;
        return true;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do: the object was read or abandoned
        }
    }
}
