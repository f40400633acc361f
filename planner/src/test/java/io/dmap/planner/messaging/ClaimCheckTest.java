package io.dmap.planner.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchInputRef;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.PlanSink;
import io.dmap.testsupport.DmapInfra;
import io.dmap.testsupport.DmapInfraExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batches too big for a Kafka message go through the real S3 server by reference. */
@ExtendWith(DmapInfraExtension.class)
class ClaimCheckTest {

    private static final JsonNode PROCESSOR = Json.parse("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}");

    @Test
    void aBatchAboveTheLimitIsStoredInS3AndPublishedByReference(DmapInfra infra) {
        infra.createBucket("claims");
        ClaimCheck claimCheck = new ClaimCheck(infra.s3(), "claims", "checks/", 500);
        JsonNode big = Json.parse("{\"Items\": [\"" + "x".repeat(600) + "\"]}");
        BatchMessage small = BatchMessage.of("run-c", 0, 0, 1, Json.parse("{\"Items\": [1]}"), PROCESSOR);

        BatchMessage published = Json.fromBytes(claimCheck.serialize(BatchMessage.of("run-c", 3, 9, 1, big, PROCESSOR)),
                BatchMessage.class);

        assertEquals(new BatchInputRef("claims", "checks/run-c/3.json"), published.inputRef());
        assertTrue(published.input() == null || published.input().isNull());
        assertEquals(3, published.batchIndex());
        assertEquals(Json.parse(infra.s3().getObjectAsBytes(b -> b.bucket("claims").key("checks/run-c/3.json")).asUtf8String()),
                big);
        assertArrayEquals(Json.toBytes(small), claimCheck.serialize(small), "a batch within the limit goes as it is");
    }

    @Test
    void withoutABucketABatchAboveTheLimitFailsThePlan() {
        ClaimCheck none = new ClaimCheck(null, null, null, 100);
        BatchMessage big = BatchMessage.of("run-d", 0, 0, 1, Json.parse("{\"Items\": [\"" + "y".repeat(200) + "\"]}"), PROCESSOR);

        PlanSink.PublishException e = assertThrows(PlanSink.PublishException.class, () -> none.serialize(big));
        assertTrue(e.getMessage().contains("planner.claim-check.bucket"), e.getMessage());
    }
}
