package io.dmap.planner.s3;

import com.github.luben.zstd.ZstdInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * External compression of an item file, chosen by the key's extension as AWS does ({@code .gz}; {@code .zst} or
 * {@code .zstd}). The object is decompressed as it streams in, never inflated whole in memory.
 */
enum Compression {
    NONE, GZIP, ZSTD;

    static Compression of(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.endsWith(".gz")) {
            return GZIP;
        }
        if (k.endsWith(".zst") || k.endsWith(".zstd")) {
            return ZSTD;
        }
        return NONE;
    }

    /** The decompressed bytes of {@code raw}; a truncated or corrupt stream fails with an IOException saying so. */
    InputStream decode(InputStream raw) throws IOException {
        return switch (this) {
            case NONE -> raw;
            case GZIP -> new Named(new GZIPInputStream(raw, 64 * 1024), "gzip");
            case ZSTD -> new Named(new ZstdInputStream(raw), "zstd");
        };
    }

    /** Says which format broke: the decompressors' own messages ("Unexpected end of ZLIB input stream") do not. */
    private static final class Named extends FilterInputStream {
        private final String format;

        Named(InputStream in, String format) {
            super(in);
            this.format = format;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw broken(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw broken(e);
            }
        }

        private IOException broken(IOException e) {
            return new IOException("the " + format + " data is truncated or corrupt (" + e.getMessage() + ")", e);
        }
    }
}
