package io.dmap.service.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.asl.StatesError;
import io.dmap.service.BucketGuard;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * {@code arn:aws:states:::aws-sdk:s3:getObject|headObject|copyObject|putObject} against the configured S3, with the
 * AWS SDK integration's parameter and result names. S3 errors are named {@code S3.<Exception>} as in AWS. A bucket
 * outside {@code dmap.s3.allowed-buckets} (Bucket, or the bucket of CopySource) fails the child with States.TaskFailed
 * before any request.
 */
public final class S3Actions {

    private final S3Client s3;
    private final BucketGuard buckets;

    public S3Actions(S3Client s3, BucketGuard buckets) {
        this.s3 = s3;
        this.buckets = buckets;
    }

    public JsonNode invoke(String action, JsonNode p) throws StatesError {
        guard(action, p);
        try {
            return switch (action) {
                case "getObject" -> get(p);
                case "headObject" -> head(p);
                case "putObject" -> put(p);
                case "copyObject" -> copy(p);
                default -> throw StatesError.runtime("Unsupported S3 action '" + action
                        + "' (dmap supports getObject, headObject, copyObject, putObject)");
            };
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String name = e.getClass() == S3Exception.class ? (code == null ? "S3Exception" : code + "Exception")
                    : e.getClass().getSimpleName();
            throw new StatesError("S3." + name, e.getMessage());
        } catch (SdkClientException e) {
            throw new StatesError(StatesError.TASK_FAILED, "S3 " + action + " failed: " + e.getMessage());
        }
    }

    private JsonNode get(JsonNode p) throws StatesError {
        String bucket = text(p, "Bucket");
        String key = text(p, "Key");
        ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> {
            b.bucket(bucket).key(key);
            if (p.hasNonNull("VersionId")) {
                b.versionId(p.get("VersionId").asText());
            }
            if (p.hasNonNull("Range")) {
                b.range(p.get("Range").asText());
            }
        });
        GetObjectResponse r = bytes.response();
        ObjectNode out = Json.NODES.objectNode();
        out.put("Body", bytes.asString(StandardCharsets.UTF_8));
        metadata(out, r.contentLength(), r.contentType(), r.eTag(), r.lastModified(), r.versionId(), r.metadata());
        return out;
    }

    private JsonNode head(JsonNode p) throws StatesError {
        String bucket = text(p, "Bucket");
        String key = text(p, "Key");
        HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key));
        ObjectNode out = Json.NODES.objectNode();
        metadata(out, r.contentLength(), r.contentType(), r.eTag(), r.lastModified(), r.versionId(), r.metadata());
        return out;
    }

    private JsonNode put(JsonNode p) throws StatesError {
        JsonNode body = p.get("Body");
        String text = body == null || body.isNull() ? "" : body.isTextual() ? body.asText() : Json.toString(body);
        String bucket = text(p, "Bucket");
        String key = text(p, "Key");
        PutObjectResponse r = s3.putObject(b -> {
            b.bucket(bucket).key(key);
            if (p.hasNonNull("ContentType")) {
                b.contentType(p.get("ContentType").asText());
            }
        }, RequestBody.fromString(text, StandardCharsets.UTF_8));
        ObjectNode out = Json.NODES.objectNode();
        out.put("ETag", r.eTag());
        if (r.versionId() != null) {
            out.put("VersionId", r.versionId());
        }
        return out;
    }

    private JsonNode copy(JsonNode p) throws StatesError {
        String source = text(p, "CopySource");
        String from = source.startsWith("/") ? source.substring(1) : source;
        int slash = from.indexOf('/');
        if (slash <= 0 || slash == from.length() - 1) {
            throw StatesError.runtime("CopySource must be 'bucket/key', was '" + source + "'");
        }
        String bucket = text(p, "Bucket");
        String key = text(p, "Key");
        String sourceBucket = from.substring(0, slash);
        String sourceKey = from.substring(slash + 1);
        CopyObjectResponse r = s3.copyObject(b -> b.sourceBucket(sourceBucket).sourceKey(sourceKey)
                .destinationBucket(bucket).destinationKey(key));
        ObjectNode out = Json.NODES.objectNode();
        ObjectNode result = out.putObject("CopyObjectResult");
        result.put("ETag", r.copyObjectResult().eTag());
        if (r.copyObjectResult().lastModified() != null) {
            result.put("LastModified", r.copyObjectResult().lastModified().toString());
        }
        return out;
    }

    private static void metadata(ObjectNode out, Long length, String type, String eTag, Instant modified, String version,
                                 Map<String, String> metadata) {
        if (length != null) {
            out.put("ContentLength", length);
        }
        out.put("ContentType", type);
        out.put("ETag", eTag);
        out.put("LastModified", modified == null ? null : modified.toString());
        if (version != null) {
            out.put("VersionId", version);
        }
        ObjectNode meta = out.putObject("Metadata");
        metadata.forEach(meta::put);
    }

    private void guard(String action, JsonNode p) throws StatesError {
        String source = p == null || !p.path("CopySource").isTextual() ? null : p.get("CopySource").asText();
        if (source != null && source.startsWith("/")) {
            source = source.substring(1);
        }
        for (String bucket : new String[]{p == null ? null : p.path("Bucket").asText(null),
                source == null ? null : source.split("/", 2)[0]}) {
            if (bucket != null && !buckets.allows(bucket)) {
                throw new StatesError(StatesError.TASK_FAILED, buckets.refusal("S3 " + action, bucket));
            }
        }
    }

    private static String text(JsonNode p, String field) throws StatesError {
        JsonNode v = p == null ? null : p.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw StatesError.runtime("The S3 call needs the parameter " + field);
        }
        return v.asText();
    }
}
