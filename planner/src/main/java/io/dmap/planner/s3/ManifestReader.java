package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * InputType MANIFEST: an S3 Inventory {@code manifest.json}
 * ({@code {"sourceBucket", "destinationBucket": "arn:aws:s3:::b", "fileFormat": "CSV", "fileSchema": "Bucket, Key, ..",
 * "files": [{"key", "size", "MD5checksum"}]}}). Its data files (in the destination bucket, gzipped CSV without a
 * header row) are read in order; each row is an item, a JSON object of the fileSchema's fields → the values as
 * strings. Position: {@code {"file": i, "rows": n}} (rows of file i already read; a gzip stream cannot be entered
 * in the middle, so a resume reads and drops them).
 */
final class ManifestReader implements ItemReader {

    /** The manifest itself is read whole; inventory manifests are small (a list of data files). */
    static final int MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

    private final S3Objects objects;
    private final String bucket;
    private final String key;
    private final String versionId;

    ManifestReader(S3Objects objects, String bucket, String key, String versionId) {
        this.objects = objects;
        this.bucket = bucket;
        this.key = key;
        this.versionId = versionId;
    }

    record Manifest(String dataBucket, List<String> schema, List<String> files) {
    }

    @Override
    public ItemStream open() {
        return open(null);
    }

    @Override
    public ItemStream open(JsonNode position) {
        Manifest manifest = manifest();
        int file = position == null ? 0 : position.path("file").asInt();
        long rows = position == null ? 0 : position.path("rows").asLong();
        return new Rows(manifest, file, rows);
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
        List<String> files = new ArrayList<>();
        for (JsonNode f : root.get("files")) {
            if (!f.path("key").isTextual()) {
                throw new ItemReaderException(source + ": not a valid S3 Inventory manifest: a file without key");
            }
            files.add(f.get("key").asText());
        }
        return new Manifest(dataBucket, schema, files);
    }

    private final class Rows implements ItemStream {
        private final Manifest manifest;
        private int file;
        private long rows;
        private ByteInput in;
        private CsvRecords records;
        private String source;
        private List<String> pending;

        Rows(Manifest manifest, int file, long rows) {
            this.manifest = manifest;
            this.file = file;
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            try {
                while (pending == null && file < manifest.files().size()) {
                    if (records == null) {
                        openFile();
                    }
                    pending = records.next();
                    if (pending == null) {
                        in.close();
                        records = null;
                        file++;
                        rows = 0;
                    }
                }
            } catch (IOException e) {
                throw new ItemReaderException("cannot read " + source + " (listed in " + S3Objects.uri(bucket, key)
                        + "): " + e, e);
            } catch (SdkException e) {
                throw S3Objects.failure(manifest.dataBucket(), manifest.files().get(file), e);
            }
            return pending != null;
        }

        private void openFile() throws IOException {
            String dataKey = manifest.files().get(file);
            source = S3Objects.uri(manifest.dataBucket(), dataKey);
            InputStream raw = objects.open(manifest.dataBucket(), dataKey, null, 0);
            in = new ByteInput(new GZIPInputStream(raw, 64 * 1024), 0, 1);
            records = new CsvRecords(in, ',', source);
            for (long i = 0; i < rows; i++) {
                if (records.next() == null) {
                    break;
                }
            }
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<String> fields = pending;
            pending = null;
            rows++;
            return records.item(fields, manifest.schema(), source, "fields (fileSchema)");
        }

        @Override
        public JsonNode position() {
            return Json.NODES.objectNode().put("file", file).put("rows", rows);
        }

        @Override
        public void close() {
            if (in != null) {
                in.close();
            }
        }
    }
}
