package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * InputType PARQUET: one item per row, a JSON object typed as {@link ParquetJson} says. The file is read by
 * ranged GETs ({@link S3InputFile}): the footer, then one row group at a time (Parquet decodes a row group's
 * column chunks together, so one row group is in memory while its rows are read). AWS's limits fail the run
 * before the first row: a footer above 5 MB or a row group above 256 MB (its bytes in the file, as read).
 * Position: {@code {"rowGroup": g, "row": r}} (resumed by skipping g row groups unread and r rows decoded).
 */
final class ParquetObjectReader implements ItemReader {

    static final long MAX_FOOTER_BYTES = 5L * 1024 * 1024;
    static final long MAX_ROW_GROUP_BYTES = 256L * 1024 * 1024;
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private final S3Objects objects;
    private final String bucket;
    private final String key;

    ParquetObjectReader(S3Objects objects, String bucket, String key) {
        this.objects = objects;
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    public ItemStream open() {
        return open(null);
    }

    @Override
    public ItemStream open(JsonNode position) {
        String source = S3Objects.uri(bucket, key);
        S3InputFile file = new S3InputFile(objects, bucket, key);
        checkFooter(file, source);
        ParquetFileReader reader = null;
        try {
            reader = ParquetFileReader.open(file, ParquetOptions.withoutHadoop());
            List<BlockMetaData> groups = reader.getRowGroups();
            for (int g = 0; g < groups.size(); g++) {
                long size = groups.get(g).getCompressedSize();
                if (size > MAX_ROW_GROUP_BYTES) {
                    throw new ItemReaderException(source + ": row group " + g + " is " + size
                            + " bytes, more than the 256 MB (" + MAX_ROW_GROUP_BYTES + " bytes) a Parquet row group may have");
                }
            }
            int group = position == null ? 0 : position.path("rowGroup").asInt();
            long row = position == null ? 0 : position.path("row").asLong();
            for (int g = 0; g < group; g++) {
                reader.skipNextRowGroup();
            }
            Rows rows = new Rows(reader, source, group);
            rows.skip(row);
            return rows;
        } catch (IOException | RuntimeException e) {
            close(reader);
            throw failure(source, e);
        }
    }

    /** Parquet's footer: its length in the 4 bytes before the closing "PAR1"; read before Parquet reads it. */
    private void checkFooter(S3InputFile file, String source) {
        long length = file.getLength();
        if (length < 12) {
            throw new ItemReaderException(source + ": not a Parquet file (" + length + " bytes)");
        }
        byte[] tail;
        try (InputStream in = objects.raw(bucket, key, null, length - 8, length - 1)) {
            tail = in.readNBytes(8);
        } catch (IOException e) {
            throw S3Objects.failure(bucket, key, e);
        }
        if (tail.length != 8 || !java.util.Arrays.equals(tail, 4, 8, MAGIC, 0, 4)) {
            throw new ItemReaderException(source + ": not a Parquet file (it does not end with PAR1)");
        }
        long footer = Integer.toUnsignedLong(ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        if (footer > MAX_FOOTER_BYTES) {
            throw new ItemReaderException(source + ": the Parquet footer is " + footer + " bytes, more than the 5 MB ("
                    + MAX_FOOTER_BYTES + " bytes) allowed");
        }
    }

    private ItemReaderException failure(String source, Exception e) {
        if (e instanceof ItemReaderException r) {
            return r;
        }
        if (e instanceof SdkException s) {
            return S3Objects.failure(bucket, key, s);
        }
        return new ItemReaderException(source + ": cannot read the Parquet file: " + e.getMessage(), e);
    }

    private static void close(ParquetFileReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                // abandoned
            }
        }
    }

    private final class Rows implements ItemStream {
        private final ParquetFileReader reader;
        private final String source;
        private final MessageType schema;
        private final MessageColumnIO columns;
        private int group; // the row group being read (or next to read)
        private long rowsInGroup;
        private long row; // rows of it already returned
        private RecordReader<Group> records;

        Rows(ParquetFileReader reader, String source, int group) {
            this.reader = reader;
            this.source = source;
            this.schema = reader.getFooter().getFileMetaData().getSchema();
            this.columns = new ColumnIOFactory().getColumnIO(schema);
            this.group = group;
        }

        void skip(long n) throws IOException {
            for (long i = 0; i < n && hasNext(); i++) {
                records.read();
                row++;
            }
        }

        @Override
        public boolean hasNext() {
            try {
                while (records == null || row == rowsInGroup) {
                    if (records != null) {
                        group++;
                        row = 0;
                    }
                    PageReadStore pages = reader.readNextRowGroup();
                    if (pages == null) {
                        records = null;
                        rowsInGroup = 0;
                        return false;
                    }
                    rowsInGroup = pages.getRowCount();
                    records = columns.getRecordReader(pages, new GroupRecordConverter(schema));
                }
                return true;
            } catch (IOException | RuntimeException e) {
                throw failure(source, e);
            }
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                Group record = records.read();
                row++;
                return ParquetJson.row(record);
            } catch (RuntimeException e) {
                throw failure(source, e);
            }
        }

        @Override
        public String itemSource() {
            return S3Objects.source(bucket, key);
        }

        @Override
        public JsonNode position() {
            return Json.NODES.objectNode().put("rowGroup", group).put("row", row);
        }

        @Override
        public void close() {
            ParquetObjectReader.close(reader);
        }
    }
}
