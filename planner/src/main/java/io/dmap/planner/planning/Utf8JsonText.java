package io.dmap.planner.planning;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON value's text held as UTF-8 bytes, for {@link com.fasterxml.jackson.core.JsonGenerator#writeRawValue(
 * SerializableString)}: Jackson's byte generator (the one {@code writeValueAsBytes} uses, so every message sent)
 * copies the bytes into its output as they are, with the separator before them, instead of encoding a String. Only a
 * char generator ({@code writeValueAsString}, {@code toString()}) decodes them, on demand.
 *
 * <p>The "quoted" forms (the text escaped as the content of a JSON string) are never asked of a raw value; they are
 * given as {@link SerializedString} gives them, for completeness.
 */
final class Utf8JsonText implements SerializableString {

    private final byte[] utf8;
    private String text;

    private Utf8JsonText(byte[] utf8) {
        this.utf8 = utf8;
    }

    /**
     * A copy of the first {@code length} bytes of {@code text} (a reader reuses its buffer). Bytes that are not
     * well-formed UTF-8 (which a streaming parse lets through inside strings: overlong forms, surrogates) are
     * replaced as decoding them to a String does, each bad sequence by U+FFFD: what items written from a String
     * always carried, and what keeps every message well-formed UTF-8.
     */
    static Utf8JsonText of(byte[] text, int length) {
        byte[] utf8 = Arrays.copyOf(text, length);
        return new Utf8JsonText(wellFormed(utf8) ? utf8 : new String(utf8, StandardCharsets.UTF_8)
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether {@code b} is well-formed UTF-8 (RFC 3629: shortest forms only, no surrogates, at most U+10FFFF), that is
     * exactly when decoding it to a String and encoding that again gives {@code b} back.
     */
    static boolean wellFormed(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int lead = b[i] & 0xFF;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int more = lead >= 0xC2 && lead <= 0xDF ? 1 : lead >= 0xE0 && lead <= 0xEF ? 2
                    : lead >= 0xF0 && lead <= 0xF4 ? 3 : -1;
            if (more < 0 || i + more >= b.length) {
                return false;
            }
            int codePoint = lead & (0x3F >> more);
            for (int k = 1; k <= more; k++) {
                int next = b[i + k] & 0xFF;
                if ((next & 0xC0) != 0x80) {
                    return false;
                }
                codePoint = codePoint << 6 | next & 0x3F;
            }
            boolean shortest = more == 1 || more == 2 && codePoint >= 0x800 || more == 3 && codePoint >= 0x10000;
            if (!shortest || codePoint >= 0xD800 && codePoint <= 0xDFFF || codePoint > 0x10FFFF) {
                return false;
            }
            i += more + 1;
        }
        return true;
    }

    @Override
    public String getValue() {
        if (text == null) {
            text = new String(utf8, StandardCharsets.UTF_8);
        }
        return text;
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    /** The bytes themselves, not a copy (as {@link SerializedString} does): the generator only reads them. */
    @Override
    public byte[] asUnquotedUTF8() {
        return utf8;
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (utf8.length > buffer.length - offset) {
            return -1;
        }
        System.arraycopy(utf8, 0, buffer, offset, utf8.length);
        return utf8.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        String value = getValue();
        if (value.length() > buffer.length - offset) {
            return -1;
        }
        value.getChars(0, value.length(), buffer, offset);
        return value.length();
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(utf8);
        return utf8.length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer out) {
        if (utf8.length > out.remaining()) {
            return -1;
        }
        out.put(utf8);
        return utf8.length;
    }

    @Override
    public char[] asQuotedChars() {
        return quoted().asQuotedChars();
    }

    @Override
    public byte[] asQuotedUTF8() {
        return quoted().asQuotedUTF8();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        return quoted().appendQuotedUTF8(buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        return quoted().appendQuoted(buffer, offset);
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        return quoted().writeQuotedUTF8(out);
    }

    @Override
    public int putQuotedUTF8(ByteBuffer out) throws IOException {
        return quoted().putQuotedUTF8(out);
    }

    private SerializedString quoted() {
        return new SerializedString(getValue());
    }

    /** Equal texts, as the String an item held before (a node's equality is its value's). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Utf8JsonText other && Arrays.equals(utf8, other.utf8);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8);
    }
}
