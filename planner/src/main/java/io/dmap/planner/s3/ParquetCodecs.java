package io.dmap.planner.s3;

import com.github.luben.zstd.Zstd;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;

/**
 * Page decompression for reading Parquet without Hadoop: Parquet's own codec factory goes through Hadoop's
 * CompressionCodec classes, which would bring hadoop-common and its dependencies into the planner. These are the
 * codecs Athena, Spark and pyarrow write: UNCOMPRESSED, SNAPPY (snappy-java), GZIP (java.util.zip) and ZSTD
 * (zstd-jni); both native libraries are already on the planner's classpath for Kafka. Another codec (LZ4, LZ4_RAW,
 * BROTLI, LZO) fails the read naming it. Reading only: compressors are not offered.
 */
final class ParquetCodecs implements CompressionCodecFactory {

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED, SNAPPY, GZIP, ZSTD -> new Decompressor(codec);
            default -> throw new UnsupportedCodecException(codec);
        };
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        throw new UnsupportedOperationException("dmap reads Parquet, it does not write it");
    }

    @Override
    public void release() {
    }

    /** A page compressed with a codec dmap does not read. */
    static final class UnsupportedCodecException extends RuntimeException {
        UnsupportedCodecException(CompressionCodecName codec) {
            super("the Parquet compression codec " + codec + " is not supported (UNCOMPRESSED, SNAPPY, GZIP and ZSTD are)");
        }
    }

    private record Decompressor(CompressionCodecName codec) implements BytesInputDecompressor {

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            return BytesInput.from(decompress(bytes.toByteArray(), uncompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(codec == CompressionCodecName.UNCOMPRESSED ? in : decompress(in, uncompressedSize));
        }

        private byte[] decompress(byte[] in, int uncompressedSize) throws IOException {
            byte[] out = new byte[uncompressedSize];
            int n = switch (codec) {
                case SNAPPY -> Snappy.uncompress(in, 0, in.length, out, 0);
                case ZSTD -> {
                    long size = Zstd.decompressByteArray(out, 0, out.length, in, 0, in.length);
                    if (Zstd.isError(size)) {
                        throw new IOException("a ZSTD page is corrupt: " + Zstd.getErrorName(size));
                    }
                    yield (int) size;
                }
                case GZIP -> {
                    try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(in))) {
                        yield gz.readNBytes(out, 0, out.length);
                    }
                }
                default -> throw new UnsupportedCodecException(codec);
            };
            if (n != uncompressedSize) {
                throw new IOException("a " + codec + " page decompressed to " + n + " bytes, its header says " + uncompressedSize);
            }
            return out;
        }

        @Override
        public void release() {
        }
    }
}
