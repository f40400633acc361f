package io.dmap.planner.s3;

import com.github.luben.zstd.Zstd;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * Parquet files made in the test by Parquet's own writer (the example Group API), in memory, with no Hadoop on the
 * classpath: the writer gets a plain configuration and compressors of its own, as the reader does.
 */
final class ParquetFiles {

    private ParquetFiles() {
    }

    static byte[] write(MessageType schema, CompressionCodecName codec, int rowsPerGroup,
                        Function<org.apache.parquet.example.data.simple.SimpleGroupFactory, List<Group>> rows) {
        Memory out = new Memory();
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(out)
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withCodecFactory(new Compressors())
                .withCompressionCodec(codec)
                .withRowGroupRowCountLimit(rowsPerGroup)
                .withPageSize(1024)
                .build()) {
            for (Group row : rows.apply(new org.apache.parquet.example.data.simple.SimpleGroupFactory(schema))) {
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.bytes.toByteArray();
    }

    private static final class Memory implements OutputFile {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                @Override
                public long getPos() {
                    return bytes.size();
                }

                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.write(b, off, len);
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            bytes.reset();
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }

    private static final class Compressors implements CompressionCodecFactory {
        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName codec) {
            return new BytesInputCompressor() {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    byte[] in = bytes.toByteArray();
                    return BytesInput.from(switch (codec) {
                        case UNCOMPRESSED -> in;
                        case SNAPPY -> Snappy.compress(in);
                        case ZSTD -> Zstd.compress(in);
                        case GZIP -> {
                            ByteArrayOutputStream gz = new ByteArrayOutputStream();
                            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                                out.write(in);
                            }
                            yield gz.toByteArray();
                        }
                        default -> throw new IllegalArgumentException(codec.name());
                    });
                }

                @Override
                public CompressionCodecName getCodecName() {
                    return codec;
                }

                @Override
                public void release() {
                }
            };
        }

        @Override
        public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void release() {
        }
    }
}
