package io.dmap.planner.messaging;

import io.dmap.common.events.BatchInputRef;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.PlanSink;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Claim check for batches too big for a Kafka message: the batch's input is stored as a JSON object in S3 under
 * {@code <prefix><mapRunId>/<batchIndex>.json} (deterministic, so a resumed planner overwrites the same object) and
 * the message carries {@code inputRef} instead of {@code input}. Without a bucket, such a batch fails the run.
 */
public final class ClaimCheck {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int maxMessageBytes;

    /**
     * @param bucket          where inputs go; null to refuse batches above the limit
     * @param maxMessageBytes a serialized batch above this goes by reference (keep it under the broker's
     *                        {@code message.max.bytes}, 1 MiB by default)
     */
    public ClaimCheck(S3Client s3, String bucket, String prefix, int maxMessageBytes) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** No S3: batches above the broker's default limit fail the run. */
    public static ClaimCheck none() {
        return new ClaimCheck(null, null, null, 1_000_000);
    }

    /** The bytes to publish for this batch: itself, or itself with its input stored in S3. */
    public byte[] serialize(BatchMessage batch) {
        byte[] bytes = Json.toBytes(batch);
        if (bytes.length <= maxMessageBytes) {
            return bytes;
        }
        if (bucket == null || s3 == null) {
            throw new PlanSink.PublishException("batch " + batch.batchIndex() + " is " + bytes.length
                    + " bytes, more than the " + maxMessageBytes + " a Kafka message may hold; lower MaxInputBytesPerBatch "
                    + "or configure planner.claim-check.bucket", null);
        }
        String key = prefix + batch.mapRunId() + "/" + batch.batchIndex() + ".json";
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                    RequestBody.fromBytes(Json.toBytes(batch.input())));
        } catch (SdkException e) {
            throw new PlanSink.PublishException("cannot store the input of batch " + batch.batchIndex() + " at s3://"
                    + bucket + "/" + key + ": " + e.getMessage(), e);
        }
        return Json.toBytes(batch.withInputRef(new BatchInputRef(bucket, key)));
    }
}
