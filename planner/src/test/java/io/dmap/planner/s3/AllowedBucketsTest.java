package io.dmap.planner.s3;

import io.dmap.asl.map.SpecParser;
import io.dmap.planner.it.Specs;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import io.dmap.service.BucketGuard;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dmap.s3.allowed-buckets for ItemReaders: a bucket outside the list fails planning (ItemReaderFailed), read nothing. */
@ExtendWith(DmapInfraExtension.class)
class AllowedBucketsTest {

    @Test
    void onlyTheAllowedBucketsAreRead(DmapInfra infra) {
        infra.createBucket("reader-ok-1");
        infra.createBucket("reader-other-1");
        infra.s3().putObject(b -> b.bucket("reader-ok-1").key("in/a.json"), RequestBody.fromString("{}"));
        infra.s3().putObject(b -> b.bucket("reader-other-1").key("in/a.json"), RequestBody.fromString("{}"));
        S3ItemReaders readers = new S3ItemReaders(infra.s3(), new BucketGuard(Optional.of(List.of("reader-ok-*", "exact"))));

        ItemStream allowed = readers.readerFor(SpecParser.parse(Specs.listing("reader-ok-1", "in/", ""))).open();
        assertTrue(allowed.hasNext());
        assertEquals("in/a.json", allowed.next().path("Key").asText());

        ItemReaderException refused = assertThrows(ItemReaderException.class,
                () -> readers.readerFor(SpecParser.parse(Specs.listing("reader-other-1", "in/", ""))).open());
        assertEquals("ItemReader on bucket 'reader-other-1' refused: it is not in dmap.s3.allowed-buckets (reader-ok-*, exact)",
                refused.getMessage());
    }
}
