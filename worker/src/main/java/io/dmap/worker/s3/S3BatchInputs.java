package io.dmap.worker.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.events.BatchInputRef;
import io.dmap.common.json.Json;
import io.dmap.worker.execution.BatchInputs;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.InputStream;

/** Claim-checked batch inputs: the JSON object the planner stored in S3. */
@ApplicationScoped
public class S3BatchInputs implements BatchInputs {

    private final S3Client s3;

    public S3BatchInputs(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public JsonNode load(BatchInputRef ref) throws Exception {
        try (InputStream in = s3.getObject(b -> b.bucket(ref.bucket()).key(ref.key()))) {
            return Json.MAPPER.readTree(in);
        }
    }
}
