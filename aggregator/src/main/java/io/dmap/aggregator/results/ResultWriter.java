package io.dmap.aggregator.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.aggregator.tally.ExecutionRecord;
import io.dmap.common.events.RunConfig;
import io.dmap.common.json.Json;
import io.dmap.common.spec.Arns;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a finished run's result files and then its manifest under {@code <Prefix>/<mapRunId>/}, streaming
 * the execution records (never all in memory). Keys are deterministic, so writing a run twice is harmless.
 */
public final class ResultWriter {

    /** Where the manifest went and how many items the files account for. */
    public record Written(String bucket, String manifestKey, long itemsWritten) {
    }

    private static final Pattern RESULT_FILE = Pattern.compile("(SUCCEEDED|FAILED|PENDING)_[0-9]+\\.json");

    private final S3Client s3;
    private final long maxFileBytes;
    private final Path tempDir;

    public ResultWriter(S3Client s3, long maxFileBytes, Path tempDir) {
        this.s3 = s3;
        this.maxFileBytes = maxFileBytes;
        this.tempDir = tempDir;
    }

    /**
     * @param records the run's terminal execution records, in batch order
     * @throws software.amazon.awssdk.core.exception.SdkException when S3 refuses (no such bucket, access denied...)
     */
    public Written write(String mapRunId, String label, RunConfig.ResultWriterConfig config,
                         Iterator<ExecutionRecord> records) throws IOException {
        return write(mapRunId, config, Arns.mapRun(label, mapRunId), records);
    }

    /**
     * @param mapRunArn the run's ARN ({@link Arns#mapRunOf(RunConfig, String)}: its parent's form when a parent
     *                  execution started it), in the manifest and, for the child executions, in the records
     */
    public Written write(String mapRunId, RunConfig.ResultWriterConfig config, String mapRunArn,
                         Iterator<ExecutionRecord> records) throws IOException {
        String keyPrefix = keyPrefix(config.prefix(), mapRunId);
        ResultFormat format = new ResultFormat(mapRunArn, mapRunId, config,
                ref -> s3.getObjectAsBytes(b -> b.bucket(ref.bucket()).key(ref.key())).asUtf8String());
        Map<ResultCategory, ResultFileSet> sets = new EnumMap<>(ResultCategory.class);
        long items = 0;
        try {
            for (ResultCategory c : ResultCategory.values()) {
                sets.put(c, new ResultFileSet(keyPrefix, c, format.jsonLines(), maxFileBytes, tempDir,
                        (key, file) -> put(config.bucket(), key, file)));
            }
            while (records.hasNext()) {
                ExecutionRecord r = records.next();
                if (!r.terminal()) {
                    continue; // cannot happen once all batches are accounted for; never write a running one
                }
                ResultFileSet set = sets.get(ResultFormat.category(r));
                for (JsonNode entry : format.entries(r)) {
                    set.add(entry);
                }
                items += r.itemCount();
            }
            ObjectNode manifest = Json.NODES.objectNode();
            manifest.put("DestinationBucket", config.bucket());
            manifest.put("MapRunArn", mapRunArn);
            ObjectNode files = manifest.putObject("ResultFiles");
            Set<String> written = new HashSet<>();
            for (ResultCategory c : List.of(ResultCategory.FAILED, ResultCategory.PENDING, ResultCategory.SUCCEEDED)) {
                ArrayNode list = files.putArray(c.name());
                for (ResultFileSet.FileEntry f : sets.get(c).finish()) {
                    list.addObject().put("Key", f.key()).put("Size", f.size());
                    written.add(f.key());
                }
            }
            String manifestKey = keyPrefix + "manifest.json";
            s3.putObject(PutObjectRequest.builder().bucket(config.bucket()).key(manifestKey)
                    .contentType("application/json").build(), RequestBody.fromBytes(Json.toBytes(manifest)));
            deleteLeftovers(config.bucket(), keyPrefix, written);
            return new Written(config.bucket(), manifestKey, items);
        } finally {
            for (ResultFileSet set : sets.values()) {
                set.close();
            }
        }
    }

    /** {@code <Prefix>/<mapRunId>/}, or {@code <mapRunId>/} without a prefix. */
    static String keyPrefix(String prefix, String mapRunId) {
        String p = prefix == null ? "" : prefix.strip();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return (p.isEmpty() ? "" : p + "/") + mapRunId + "/";
    }

    /**
     * Removes result files of an earlier write of the same run (before a redrive) that the new manifest does not
     * list, e.g. a {@code FAILED_0.json} when the redrive left no failure. Only names this writer produces.
     */
    private void deleteLeftovers(String bucket, String keyPrefix, Set<String> written) {
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(keyPrefix)).contents().stream()
                .map(S3Object::key)
                .filter(key -> RESULT_FILE.matcher(key.substring(keyPrefix.length())).matches())
                .filter(key -> !written.contains(key))
                .forEach(key -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    private void put(String bucket, String key, Path file) {
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json").build(),
                RequestBody.fromFile(file));
    }
}
