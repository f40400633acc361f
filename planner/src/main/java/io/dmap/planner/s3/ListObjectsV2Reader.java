package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.Iterator;

/**
 * ItemReader {@code arn:aws:states:::s3:listObjectsV2}: every object under Bucket/Prefix, page by page as the
 * items are consumed, each item exactly as AWS gives it:
 * {@code {"Etag": "\"<md5>\"", "Key": .., "LastModified": <epoch seconds>, "Size": .., "StorageClass": ..}}.
 * Position: {@code {"startAfter": <the last key returned>}}, resumed with ListObjectsV2's StartAfter.
 */
public final class ListObjectsV2Reader implements ItemReader {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Integer pageSize;

    public ListObjectsV2Reader(S3Client s3, String bucket, String prefix) {
        this(s3, bucket, prefix, null);
    }

    /** @param pageSize MaxKeys per ListObjectsV2 call; null for S3's default (1000) */
    ListObjectsV2Reader(S3Client s3, String bucket, String prefix, Integer pageSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
        this.pageSize = pageSize;
    }

    @Override
    public ItemStream open() {
        return open(null);
    }

    @Override
    public ItemStream open(JsonNode position) {
        String startAfter = position == null ? null : position.path("startAfter").asText(null);
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(pageSize)
                .startAfter(startAfter).build();
        Iterator<S3Object> objects;
        try {
            objects = s3.listObjectsV2Paginator(request).contents().iterator(); // fetches the first page
        } catch (SdkException e) {
            throw failure(e);
        }
        return new ItemStream() {
            private String lastKey = startAfter;

            @Override
            public boolean hasNext() {
                try {
                    return objects.hasNext();
                } catch (SdkException e) {
                    throw failure(e);
                }
            }

            @Override
            public JsonNode next() {
                try {
                    S3Object object = objects.next();
                    lastKey = object.key();
                    return item(object);
                } catch (SdkException e) {
                    throw failure(e);
                }
            }

            @Override
            public String itemSource() {
                return "S3://" + bucket;
            }

            @Override
            public JsonNode position() {
                return lastKey == null ? null : Json.NODES.objectNode().put("startAfter", lastKey);
            }
        };
    }

    static ObjectNode item(S3Object object) {
        ObjectNode item = Json.NODES.objectNode();
        item.put("Etag", quoted(object.eTag()));
        item.put("Key", object.key());
        item.put("LastModified", object.lastModified() == null ? 0 : object.lastModified().getEpochSecond());
        item.put("Size", object.size() == null ? 0 : object.size());
        item.put("StorageClass", object.storageClassAsString() == null ? "STANDARD" : object.storageClassAsString());
        return item;
    }

    /** AWS lists the ETag with its quotes; some S3-compatible servers drop them. */
    private static String quoted(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    private ItemReaderException failure(SdkException e) {
        String where = "s3://" + bucket + "/" + prefix;
        if (e instanceof S3Exception s3e && s3e.awsErrorDetails() != null) {
            return new ItemReaderException("cannot list objects of bucket '" + bucket + "' (" + where + "): "
                    + s3e.awsErrorDetails().errorCode() + ": " + s3e.awsErrorDetails().errorMessage()
                    + " (HTTP " + s3e.statusCode() + ")", e);
        }
        return new ItemReaderException("cannot list objects of bucket '" + bucket + "' (" + where + "): "
                + e.getMessage(), e);
    }
}
