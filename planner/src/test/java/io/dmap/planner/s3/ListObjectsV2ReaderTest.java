package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listing reader against the real S3 server. */
@ExtendWith(DmapInfraExtension.class)
class ListObjectsV2ReaderTest {

    @Test
    void readsEveryPageLazilyInKeyOrder(DmapInfra infra) {
        String bucket = "reader-pages";
        infra.createBucket(bucket);
        for (int i = 9; i >= 0; i--) {
            String key = "p/" + i;
            infra.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("v" + i));
        }
        infra.s3().putObject(b -> b.bucket(bucket).key("q/elsewhere"), RequestBody.fromString("x"));

        List<String> keys = new ArrayList<>();
        try (ItemStream items = new ListObjectsV2Reader(infra.s3(), bucket, "p/", 3).open()) {
            while (items.hasNext()) {
                JsonNode item = items.next();
                keys.add(item.get("Key").asText());
                assertTrue(item.get("Etag").asText().matches("\"[0-9a-f]{32}\""), item.toString());
                assertEquals(2, item.get("Size").asLong());
            }
        }

        assertEquals(List.of("p/0", "p/1", "p/2", "p/3", "p/4", "p/5", "p/6", "p/7", "p/8", "p/9"), keys,
                "four pages of at most 3 keys, in key order, nothing outside the prefix");
    }

    @Test
    void theNextPageIsRequestedWhileTheCurrentOneIsReadAndNeverMoreThanOneAhead(DmapInfra infra) throws Exception {
        String bucket = "reader-prefetch";
        infra.createBucket(bucket);
        for (int i = 0; i < 5; i++) {
            String key = "p/" + i;
            infra.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("v" + i));
        }
        AtomicInteger requests = new AtomicInteger();
        S3Client counting = new S3Client() { // the real server, its listObjectsV2 calls counted
            @Override
            public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
                requests.incrementAndGet();
                return infra.s3().listObjectsV2(request);
            }

            @Override
            public String serviceName() {
                return "s3";
            }

            @Override
            public void close() {
            }
        };

        List<String> keys = new ArrayList<>();
        try (ItemStream items = new ListObjectsV2Reader(counting, bucket, "p/", 2).open()) {
            keys.add(items.next().get("Key").asText());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (requests.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, requests.get(), "the second page is asked for while the first one is read");
            keys.add(items.next().get("Key").asText());
            Thread.sleep(300);
            assertEquals(2, requests.get(), "the third page waits until the second one is being read");
            while (items.hasNext()) {
                keys.add(items.next().get("Key").asText());
            }
        }

        assertEquals(List.of("p/0", "p/1", "p/2", "p/3", "p/4"), keys);
        assertEquals(3, requests.get());
    }

    @Test
    void anEmptyPrefixYieldsNoItems(DmapInfra infra) {
        infra.createBucket("reader-empty");
        try (ItemStream items = new ListObjectsV2Reader(infra.s3(), "reader-empty", "nothing/").open()) {
            assertTrue(!items.hasNext());
        }
    }

    @Test
    void aMissingBucketIsAnItemReaderFailureNamingIt(DmapInfra infra) {
        ItemReaderException e = assertThrows(ItemReaderException.class,
                () -> new ListObjectsV2Reader(infra.s3(), "reader-missing-bucket", "x/").open().hasNext());
        assertTrue(e.getMessage().contains("'reader-missing-bucket'"), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchBucket"), e.getMessage());
    }
}
