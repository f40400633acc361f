package io.dmap.planner.s3;

import io.dmap.planner.planning.ItemReaderException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Opens S3 objects for the readers, turning every failure into an {@link ItemReaderException} naming the object. */
final class S3Objects {

    private final S3Client s3;

    S3Objects(S3Client s3) {
        this.s3 = s3;
    }

    static String uri(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** {@code $$.Map.Item.Source} of an item read from this object, spelled as AWS spells it. */
    static String source(String bucket, String key) {
        return "S3://" + bucket + "/" + key;
    }

    /**
     * The object's content from {@code offset} on, decompressed when the key says it is compressed
     * ({@link Compression}); an offset at the end gives an empty stream. Uncompressed, the offset is a Range
     * request. Compressed, it is an offset in the decompressed content: a compressed stream cannot be entered in
     * the middle, so the object is read from its start and the first {@code offset} decompressed bytes are dropped
     * unparsed.
     */
    InputStream open(String bucket, String key, String versionId, long offset) {
        Compression compression = Compression.of(key);
        if (compression == Compression.NONE) {
            return raw(bucket, key, versionId, offset, -1);
        }
        InputStream raw = raw(bucket, key, versionId, 0, -1);
        try {
            InputStream decoded = compression.decode(raw);
            for (long left = offset; left > 0; ) {
                long n = decoded.skip(left);
                if (n <= 0) {
                    if (decoded.read() < 0) {
                        break; // resumed exactly at the end
                    }
                    n = 1;
                }
                left -= n;
            }
            return decoded;
        } catch (IOException e) {
            close(raw);
            throw failure(bucket, key, e);
        } catch (SdkException e) {
            close(raw);
            throw failure(bucket, key, e);
        }
    }

    /**
     * The object's bytes {@code from} .. {@code to} (inclusive; -1: to the end), never decompressed; a body cut while
     * it is read is resumed where it broke ({@link ResumingBody}).
     */
    InputStream raw(String bucket, String key, String versionId, long from, long to) {
        try {
            ResponseInputStream<GetObjectResponse> first = get(bucket, key, versionId, from, to, null);
            return new ResumingBody((at, upTo, eTag) -> get(bucket, key, versionId, at, upTo, versionId == null ? eTag : null),
                    uri(bucket, key), from, to, first);
        } catch (S3Exception e) {
            if (from > 0 && e.statusCode() == 416) {
                return new ByteArrayInputStream(new byte[0]); // resumed exactly at the end
            }
            throw failure(bucket, key, e);
        } catch (SdkException e) {
            throw failure(bucket, key, e);
        }
    }

    private ResponseInputStream<GetObjectResponse> get(String bucket, String key, String versionId, long from, long to,
                                                       String ifMatch) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key).versionId(versionId)
                .ifMatch(ifMatch);
        if (from > 0 || to >= 0) {
            request.range("bytes=" + from + "-" + (to >= 0 ? Long.toString(to) : ""));
        }
        return s3.getObject(request.build());
    }

    /** The object's size in bytes. */
    long size(String bucket, String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
        } catch (SdkException e) {
            throw failure(bucket, key, e);
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // abandoned
        }
    }

    static ItemReaderException failure(String bucket, String key, SdkException e) {
        String where = uri(bucket, key);
        if (e instanceof S3Exception s3e && s3e.awsErrorDetails() != null) {
            return new ItemReaderException("cannot read " + where + ": " + s3e.awsErrorDetails().errorCode() + ": "
                    + s3e.awsErrorDetails().errorMessage() + " (HTTP " + s3e.statusCode() + ")", e);
        }
        return new ItemReaderException("cannot read " + where + ": " + e.getMessage(), e);
    }

    static ItemReaderException failure(String bucket, String key, IOException e) {
        return new ItemReaderException("cannot read " + uri(bucket, key) + ": "
                + (e.getClass() == IOException.class ? e.getMessage() : e.toString()), e);
    }
}
