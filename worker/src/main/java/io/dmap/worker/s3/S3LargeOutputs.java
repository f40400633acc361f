package io.dmap.worker.s3;

import io.dmap.common.events.BatchInputRef;
import io.dmap.worker.config.WorkerConfig;
import io.dmap.worker.execution.LargeOutputs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Optional;

/** Large outputs in {@code worker.claim-check.bucket}, at {@code claim-check/<mapRunId>/<batchIndex>-<redriveCount>-output.json}. */
@ApplicationScoped
public class S3LargeOutputs implements LargeOutputs {

    private final S3Client s3;
    private final Optional<String> bucket;

    @Inject
    public S3LargeOutputs(S3Client s3, WorkerConfig config) {
        this(s3, config.claimCheck().bucket());
    }

    public S3LargeOutputs(S3Client s3, Optional<String> bucket) {
        this.s3 = s3;
        this.bucket = bucket.filter(b -> !b.isBlank());
    }

    @Override
    public boolean enabled() {
        return bucket.isPresent();
    }

    @Override
    public BatchInputRef store(String mapRunId, long batchIndex, int redriveCount, byte[] json) {
        String b = bucket.orElseThrow(() -> new IllegalStateException("no bucket for large outputs (worker.claim-check.bucket)"));
        String key = LargeOutputs.key(mapRunId, batchIndex, redriveCount);
        s3.putObject(r -> r.bucket(b).key(key).contentType("application/json"), RequestBody.fromBytes(json));
        return new BatchInputRef(b, key);
    }
}
