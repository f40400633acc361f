package io.dmap.planner.s3;

import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A Parquet {@link InputFile} over an S3 object read by ranged GETs, so a Parquet file is never held whole (nor
 * copied to disk) and no Hadoop FileSystem is needed: Parquet reads the footer at the end, then each row group's
 * column chunks, seeking between them. A seek within a short distance ahead reads on; a farther one starts a new
 * GET. Each GET asks for at most {@link #WINDOW} bytes, so an abandoned one costs little to drop.
 */
final class S3InputFile implements InputFile {

    static final long WINDOW = 16L * 1024 * 1024;
    /** A forward seek shorter than this reads through instead of starting a new request. */
    private static final long READ_THROUGH = 256 * 1024;

    private final S3Objects objects;
    private final String bucket;
    private final String key;
    private final long length;

    S3InputFile(S3Objects objects, String bucket, String key) {
        this.objects = objects;
        this.bucket = bucket;
        this.key = key;
        this.length = objects.size(bucket, key);
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() {
        return new Ranges();
    }

    private final class Ranges extends SeekableInputStream {
        private InputStream current;
        private long currentPos; // offset of current's next byte
        private long currentEnd; // offset after current's last byte
        private long pos;

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void seek(long newPos) {
            pos = newPos;
        }

        /** Makes {@code current} deliver the byte at {@code pos}; false at the end of the object. */
        private boolean ready() throws IOException {
            if (pos >= length) {
                return false;
            }
            if (current != null && pos >= currentPos && pos < currentEnd && pos - currentPos < READ_THROUGH) {
                current.skipNBytes(pos - currentPos);
                currentPos = pos;
                return true;
            }
            drop();
            long end = Math.min(length, pos + WINDOW);
            try {
                current = objects.raw(bucket, key, null, pos, end - 1);
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            }
            currentPos = pos;
            currentEnd = end;
            return true;
        }

        private void drop() {
            if (current == null) {
                return;
            }
            try {
                if (currentPos < currentEnd && current instanceof ResponseInputStream<?> response) {
                    response.abort(); // do not drain the rest of the range
                }
                current.close();
            } catch (IOException | SdkException e) {
                // abandoned
            }
            current = null;
        }

        @Override
        public int read() throws IOException {
            if (!ready()) {
                return -1;
            }
            int b = current.read();
            if (b < 0) {
                throw new EOFException(S3Objects.uri(bucket, key) + ": the object ended at " + pos + " of " + length + " bytes");
            }
            pos++;
            currentPos++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!ready()) {
                return -1;
            }
            int n = current.read(b, off, (int) Math.min(len, currentEnd - currentPos));
            if (n < 0) {
                throw new EOFException(S3Objects.uri(bucket, key) + ": the object ended at " + pos + " of " + length + " bytes");
            }
            pos += n;
            currentPos += n;
            return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
            int done = 0;
            while (done < len) {
                int n = read(bytes, start + done, len - done);
                if (n < 0) {
                    throw new EOFException(S3Objects.uri(bucket, key) + ": " + (len - done) + " bytes missing at the end");
                }
                done += n;
            }
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
            int len = buf.remaining();
            if (len == 0) {
                return 0;
            }
            byte[] chunk = new byte[(int) Math.min(len, 64 * 1024)];
            int n = read(chunk, 0, chunk.length);
            if (n > 0) {
                buf.put(chunk, 0, n);
            }
            return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            if (buf.hasArray()) {
                int len = buf.remaining();
                readFully(buf.array(), buf.arrayOffset() + buf.position(), len);
                buf.position(buf.position() + len);
                return;
            }
            while (buf.hasRemaining()) {
                if (read(buf) < 0) {
                    throw new EOFException(S3Objects.uri(bucket, key) + ": bytes missing at the end");
                }
            }
        }

        @Override
        public void close() {
            drop();
        }
    }
}
