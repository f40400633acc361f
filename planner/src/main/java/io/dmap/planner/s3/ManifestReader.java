package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.map.MapRunSpec.CsvDelimiter;
import io.dmap.asl.map.MapRunSpec.InputType;
import io.dmap.asl.map.MapRunSpec.ReaderConfig;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import io.dmap.planner.s3.ObjectSequenceReader.S3Ref;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * ManifestType S3_INVENTORY (or InputType MANIFEST): an S3 Inventory {@code manifest.json}
 * ({@code {"sourceBucket", "destinationBucket": "arn:aws:s3:::b", "fileFormat": "CSV", "fileSchema": "Bucket, Key, ..",
 * "files": [{"key", "size", "MD5checksum"}]}}). Its data files (in the destination bucket, CSV without a header
 * row, gzipped as S3 writes them: decompressed by extension) are read in order; each row is an item, a JSON object
 * of the fileSchema's fields → the values as strings. Position: that of {@link ObjectSequenceReader}.
 */
final class ManifestReader implements ItemReader {

    /** The manifest itself is read whole; inventory manifests are small (a list of data files). */
    static final int MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

    private final S3Objects objects;
    private final String bucket;
    private final String key;
    private final String versionId;
    private final BiFunction<S3Ref, ItemReader, ItemReader> guard;

    /** @param guard gives the reader of a data file, or one that refuses it (a bucket dmap may not read) */
    ManifestReader(S3Objects objects, String bucket, String key, String versionId, BiFunction<S3Ref, ItemReader, ItemReader> guard) {
        this.objects = objects;
        this.bucket = bucket;
        this.key = key;
        this.versionId = versionId;
        this.guard = guard;
    }

    record Manifest(List<String> schema, List<S3Ref> files) {
    }

    @Override
    public ItemStream open() {
        return open(null);
    }

    @Override
    public ItemStream open(JsonNode position) {
        Manifest manifest = manifest();
        ReaderConfig rows = new ReaderConfig(InputType.CSV, true, manifest.schema(), CsvDelimiter.COMMA, null, false);
        return new ObjectSequenceReader(manifest.files(),
                file -> guard.apply(file, new CsvObjectReader(objects, file.bucket(), file.key(), null, rows))).open(position);
    }

    Manifest manifest() {
        String source = S3Objects.uri(bucket, key);
        JsonNode root;
        try (InputStream in = objects.open(bucket, key, versionId, 0)) {
            byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new ItemReaderException(source + ": the manifest is larger than " + MAX_MANIFEST_BYTES + " bytes");
            }
            root = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new ItemReaderException(source + ": not a valid S3 Inventory manifest: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw S3Objects.failure(bucket, key, e);
        }
        if (root == null || !root.isObject()) {
            throw new ItemReaderException(source + ": not a valid S3 Inventory manifest: not a JSON object");
        }
        String format = root.path("fileFormat").asText("");
        if (!format.equalsIgnoreCase("CSV")) {
            throw new ItemReaderException(source + ": fileFormat '" + format + "' is not supported (only CSV)");
        }
        if (!root.path("fileSchema").isTextual() || !root.path("files").isArray()) {
            throw new ItemReaderException(source + ": not a valid S3 Inventory manifest: it needs fileSchema and files");
        }
        List<String> schema = Arrays.stream(root.get("fileSchema").asText().split(",")).map(String::trim).toList();
        CsvHeaders.check(schema, 0, source + " fileSchema");
        String destination = root.path("destinationBucket").asText("");
        String dataBucket = destination.isEmpty() ? bucket : destination.substring(destination.lastIndexOf(':') + 1);
        List<S3Ref> files = new ArrayList<>();
        for (JsonNode f : root.get("files")) {
            if (!f.path("key").isTextual()) {
                throw new ItemReaderException(source + ": not a valid S3 Inventory manifest: a file without key");
            }
            files.add(new S3Ref(dataBucket, f.get("key").asText()));
        }
        return new Manifest(schema, files);
    }
}
