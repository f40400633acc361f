package io.dmap.s3server;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * How an S3 key becomes a relative file path in S3Proxy's filesystem store, so that the store takes every key S3
 * takes: the key's UTF-8 bytes in lowercase hex, cut into path segments of {@value #SEGMENT} characters, each
 * segment that continues in a sub-folder ending in {@code ~}.
 *
 * <p>Why: the store maps a key to a file name as it is, and file names have 255 bytes (a 906-character segment
 * closed the connection), a key and a "folder" of the same name cannot both exist ({@code a} and {@code a/b}), and
 * {@code .}, {@code ..} and empty segments are not names at all. Hex has none of these problems, and it keeps
 * S3's order: hex digits of fixed width sort as the bytes they spell, a segment break sits at the same place in
 * every name and {@code ~} sorts after every hex digit, so the store's sorted walk lists keys in S3's order
 * (UTF-8 binary) and a key prefix is a name prefix. A 1,024-byte key is 2,048 characters in 11 segments.
 */
public final class KeyCodec {

    /** Hex characters per path segment (100 key bytes): a segment name is at most 201 bytes, under 255. */
    static final int SEGMENT = 200;
    private static final HexFormat HEX = HexFormat.of();

    private KeyCodec() {
    }

    public static String encode(String key) {
        String hex = HEX.formatHex(key.getBytes(StandardCharsets.UTF_8));
        if (hex.length() <= SEGMENT) {
            return hex;
        }
        StringBuilder sb = new StringBuilder(hex.length() + 2 * (hex.length() / SEGMENT));
        for (int i = 0; i < hex.length(); i += SEGMENT) {
            if (i > 0) {
                sb.append("~/");
            }
            sb.append(hex, i, Math.min(hex.length(), i + SEGMENT));
        }
        return sb.toString();
    }

    /** The key a stored name spells; IllegalArgumentException if the name is not one {@link #encode} writes. */
    public static String decode(String name) {
        String hex = name.replace("~/", "");
        if (hex.isEmpty() || hex.length() % 2 != 0 || !name.equals(encodeHex(hex))) {
            throw new IllegalArgumentException("not an encoded key: " + name);
        }
        return new String(HEX.parseHex(hex), StandardCharsets.UTF_8);
    }

    /** A name greater than every encoded key that starts with {@code prefix}, and smaller than every later key. */
    static String afterAllStartingWith(String prefix) {
        return encode(prefix) + '\u007f';
    }

    private static String encodeHex(String hex) {
        HEX.parseHex(hex); // throws on a non-hex character
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += SEGMENT) {
            if (i > 0) {
                sb.append("~/");
            }
            sb.append(hex, i, Math.min(hex.length(), i + SEGMENT));
        }
        return sb.toString();
    }
}
