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
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * ItemReader {@code arn:aws:states:::s3:listObjectsV2}: every object under Bucket/Prefix, page by page as the
 * items are consumed (the next page is fetched while the current one is planned), each item exactly as AWS gives it:
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
        return new Listing(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(pageSize)
                .startAfter(startAfter).build(), startAfter);
    }

    /**
     * The listing a page at a time. The next page is requested, on a thread of the stream's own, as soon as the
     * current one has arrived, so that its round trip to S3 overlaps the planning of the current page's items
     * rather than adding to it; at most one request is ahead. The thread ends a second after its last request.
     */
    private final class Listing implements ItemStream {
        private final ListObjectsV2Request request;
        private final ThreadPoolExecutor fetcher = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "dmap-list-" + bucket);
                    thread.setDaemon(true);
                    return thread;
                });
        private Iterator<S3Object> page = Collections.emptyIterator();
        private Future<ListObjectsV2Response> next;
        private String lastKey;

        Listing(ListObjectsV2Request request, String startAfter) {
            this.request = request;
            this.lastKey = startAfter;
            this.next = fetch(request);
        }

        @Override
        public boolean hasNext() {
            while (!page.hasNext() && next != null) {
                ListObjectsV2Response response = await(next);
                next = Boolean.TRUE.equals(response.isTruncated())
                        ? fetch(request.toBuilder().continuationToken(response.nextContinuationToken()).build()) : null;
                page = response.contents().iterator();
            }
            return page.hasNext();
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            S3Object object = page.next();
            lastKey = object.key();
            return item(object);
        }

        @Override
        public String itemSource() {
            return "S3://" + bucket;
        }

        @Override
        public JsonNode position() {
            return lastKey == null ? null : Json.NODES.objectNode().put("startAfter", lastKey);
        }

        @Override
        public void close() {
            if (next != null) {
                next.cancel(true);
            }
            fetcher.shutdownNow();
        }

        private Future<ListObjectsV2Response> fetch(ListObjectsV2Request page) {
            return fetcher.submit(() -> s3.listObjectsV2(page));
        }

        private ListObjectsV2Response await(Future<ListObjectsV2Response> response) {
            try {
                return response.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SdkException sdk) {
                    throw failure(sdk);
                }
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ItemReaderException("cannot list objects of bucket '" + bucket + "': interrupted", e);
            }
        }
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
