package io.dmap.planner.s3;

import io.dmap.planner.planning.ItemReaderException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
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

    /**
     * The object's bytes from {@code offset} on (a Range request when it is not 0); an offset at the end of the
     * object gives an empty stream.
     */
    InputStream open(String bucket, String key, String versionId, long offset) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key).versionId(versionId);
        if (offset > 0) {
            request.range("bytes=" + offset + "-");
        }
        try {
            return s3.getObject(request.build());
        } catch (S3Exception e) {
            if (offset > 0 && e.statusCode() == 416) {
                return new ByteArrayInputStream(new byte[0]); // resumed exactly at the end
            }
            throw failure(bucket, key, e);
        } catch (SdkException e) {
            throw failure(bucket, key, e);
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
        return new ItemReaderException("cannot read " + uri(bucket, key) + ": " + e, e);
    }
}
