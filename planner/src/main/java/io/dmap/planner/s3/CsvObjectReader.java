package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.asl.map.MapRunSpec.ReaderConfig;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemStream;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * InputType CSV: one item per row, a JSON object of header → the field's text (every value a string, as AWS
 * gives it). Headers from the first row (FIRST_ROW) or from CSVHeaders (GIVEN). As on AWS, a short row gets
 * {@code ""} for its missing fields and a long row's extra fields are dropped. Position:
 * {@code {"offset": <byte offset of the next row>, "line": n}} (resumed with a Range request, or for a compressed
 * object by dropping that many decompressed bytes; the header row is read again from the object's start).
 */
final class CsvObjectReader implements ItemReader {

    private final S3Objects objects;
    private final String bucket;
    private final String key;
    private final String versionId;
    private final ReaderConfig config;

    CsvObjectReader(S3Objects objects, String bucket, String key, String versionId, ReaderConfig config) {
        this.objects = objects;
        this.bucket = bucket;
        this.key = key;
        this.versionId = versionId;
        this.config = config;
    }

    @Override
    public ItemStream open() {
        return open(null);
    }

    @Override
    public ItemStream open(JsonNode position) {
        String source = S3Objects.uri(bucket, key);
        long offset = position == null ? 0 : position.path("offset").asLong();
        long line = position == null ? 1 : position.path("line").asLong(1);
        try {
            List<String> headers;
            ByteInput in;
            CsvRecords records;
            if (config.headersGiven()) {
                headers = CsvHeaders.check(config.csvHeaders(), CsvHeaders.bytes(config.csvHeaders()), source + " CSVHeaders");
                in = start(offset, line);
                records = new CsvRecords(in, config.csvDelimiter().character, source);
            } else if (offset == 0) {
                in = start(0, 1);
                records = new CsvRecords(in, config.csvDelimiter().character, source);
                headers = headerRow(records, source);
            } else {
                try (ByteInput head = start(0, 1)) {
                    headers = headerRow(new CsvRecords(head, config.csvDelimiter().character, source), source);
                }
                in = start(offset, line);
                records = new CsvRecords(in, config.csvDelimiter().character, source);
            }
            return new Rows(in, records, headers, source);
        } catch (IOException e) {
            throw S3Objects.failure(bucket, key, e);
        } catch (SdkException e) {
            throw S3Objects.failure(bucket, key, e);
        }
    }

    private ByteInput start(long offset, long line) throws IOException {
        ByteInput in = new ByteInput(objects.open(bucket, key, versionId, offset), offset, line);
        if (offset == 0) {
            in.skipBom();
        }
        return in;
    }

    private static List<String> headerRow(CsvRecords records, String source) throws IOException {
        List<String> headers = records.next();
        if (headers == null) {
            return null; // an empty object: no items
        }
        return CsvHeaders.check(headers, records.bytes(), source + " line " + records.line());
    }

    /** The rows of one CSV object as items. */
    private final class Rows implements ItemStream {
        private final ByteInput in;
        private final CsvRecords records;
        private final List<String> headers;
        private final String source;
        private List<String> pending;
        private boolean ended;
        private long offset;
        private long line;

        Rows(ByteInput in, CsvRecords records, List<String> headers, String source) {
            this.in = in;
            this.records = records;
            this.headers = headers;
            this.source = source;
            this.offset = in.offset();
            this.line = in.line();
            this.ended = headers == null;
        }

        @Override
        public boolean hasNext() {
            if (pending == null && !ended) {
                try {
                    pending = records.next();
                } catch (IOException e) {
                    throw S3Objects.failure(bucket, key, e);
                } catch (SdkException e) {
                    throw S3Objects.failure(bucket, key, e);
                }
                ended = pending == null;
            }
            return pending != null;
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<String> fields = pending;
            pending = null;
            offset = in.offset();
            line = in.line();
            return CsvRecords.item(fields, headers);
        }

        @Override
        public String itemSource() {
            return S3Objects.source(bucket, key);
        }

        @Override
        public JsonNode position() {
            return Json.NODES.objectNode().put("offset", offset).put("line", line);
        }

        @Override
        public void close() {
            in.close();
        }
    }
}
