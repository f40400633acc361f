package io.dmap.planner.s3;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;

/**
 * An object's body that survives its connection being cut (the S3 server restarting while a file is being read):
 * the SDK retries a request that fails, but not a body stream that breaks after the response began, so a cut body
 * is asked for again with a ranged GET from the byte it reached, on the same object: the same version when one was
 * asked for, else {@code If-Match} the first response's ETag (an object replaced meanwhile fails the read, 412,
 * rather than splicing two contents). A body that ends before its Content-Length counts as cut too. A resume that
 * brings no byte counts against {@link #MAX_RESUMES_WITHOUT_PROGRESS}; the reopening request itself goes through
 * the client's retry of connections ({@code dmap.s3.connection-retry.*}), which waits out a server that is down.
 */
final class ResumingBody extends InputStream {

    /** Resumes in a row that bring no byte before the read fails. */
    static final int MAX_RESUMES_WITHOUT_PROGRESS = 3;

    /** Opens the object's bytes {@code from} .. {@code to} (inclusive; -1: to the end), given the ETag to match. */
    interface Opener {
        ResponseInputStream<GetObjectResponse> open(long from, long to, String ifMatch);
    }

    private final Opener opener;
    private final String what;
    private final long to;
    private final String eTag;
    private InputStream in;
    private long position;
    /** Where the current response's body ends (exclusive), or -1 when it did not say. */
    private long end;
    private int resumesWithoutProgress;
    private boolean closed;

    ResumingBody(Opener opener, String what, long from, long to, ResponseInputStream<GetObjectResponse> first) {
        this.opener = opener;
        this.what = what;
        this.to = to;
        this.eTag = first.response().eTag();
        this.in = first;
        this.position = from;
        this.end = endOf(first, from);
    }

    /** How many bytes of the object lie before the next one read (the range's start included). */
    long position() {
        return position;
    }

    @Override
    public int read() throws IOException {
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                resume(e);
                continue;
            }
            if (b >= 0) {
                advance(1);
                return b;
            }
            if (!cutShort()) {
                return -1;
            }
            resume(null);
        }
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n;
            try {
                n = in.read(buffer, off, len);
            } catch (IOException e) {
                resume(e);
                continue;
            }
            if (n > 0) {
                advance(n);
                return n;
            }
            if (n == 0) {
                return 0;
            }
            if (!cutShort()) {
                return -1;
            }
            resume(null);
        }
    }

    @Override
    public int available() throws IOException {
        try {
            return in.available();
        } catch (IOException e) {
            return 0; // the next read resumes
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        in.close();
    }

    private void advance(int n) {
        position += n;
        resumesWithoutProgress = 0;
    }

    private boolean cutShort() {
        return end >= 0 && position < end;
    }

    private void resume(IOException cause) throws IOException {
        if (closed) {
            throw cause != null ? cause : new IOException("stream closed");
        }
        if (++resumesWithoutProgress > MAX_RESUMES_WITHOUT_PROGRESS) {
            throw cause != null ? cause
                    : new IOException(what + ": the body ended at byte " + position + " of " + end + ", "
                    + MAX_RESUMES_WITHOUT_PROGRESS + " times in a row");
        }
        abort(in);
        if ((end >= 0 && position >= end) || (to >= 0 && position > to)) {
            in = InputStream.nullInputStream(); // cut right after the last byte: nothing is missing
            return;
        }
        ResponseInputStream<GetObjectResponse> next;
        try {
            next = opener.open(position, to, eTag);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                in = InputStream.nullInputStream(); // cut right after the last byte of an object of unknown length
                end = position;
                return;
            }
            IOException failure = new IOException(what + ": resuming at byte " + position + " failed: "
                    + (e.statusCode() == 412 ? "the object changed while it was read (its ETag is no longer " + eTag + ")"
                    : e.getMessage()), e);
            if (cause != null) {
                failure.addSuppressed(cause);
            }
            throw failure;
        } catch (SdkException e) {
            IOException failure = new IOException(what + ": resuming at byte " + position + " failed: " + e.getMessage(), e);
            if (cause != null) {
                failure.addSuppressed(cause);
            }
            throw failure;
        }
        in = next;
        end = endOf(next, position);
    }

    private static long endOf(ResponseInputStream<GetObjectResponse> stream, long from) {
        Long length = stream.response().contentLength();
        return length == null ? -1 : from + length;
    }

    private static void abort(InputStream stream) {
        try {
            if (stream instanceof ResponseInputStream<?> response) {
                response.abort(); // the connection is broken: never return it to the pool
            }
            stream.close();
        } catch (IOException | RuntimeException e) {
            // abandoned
        }
    }
}
