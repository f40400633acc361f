package io.dmap.planner.s3;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.crypto.FileDecryptionProperties;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetMetricsCallback;

import java.lang.reflect.Constructor;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@link ParquetReadOptions} dmap reads with: its own codecs ({@link ParquetCodecs}), no filters, no Hadoop.
 * Parquet's public builder cannot make them without Hadoop: whatever codec factory is given, its constructor first
 * builds Parquet's Hadoop-backed one, which loads Hadoop's compression classes (and with them hadoop-common and its
 * dependencies, tens of MB). So the options are made with the constructor the builder's {@code build()} calls, which
 * is package-private: found once by reflection, for the pinned parquet-hadoop version (a test reads Parquet with no
 * Hadoop on the classpath, so an upgrade that changes it fails the build, not a run).
 */
final class ParquetOptions {

    private static final int MAX_ALLOCATION = 8 * 1024 * 1024; // Parquet's default
    private static final Constructor<ParquetReadOptions> CONSTRUCTOR = constructor();

    private ParquetOptions() {
    }

    static ParquetReadOptions withoutHadoop() {
        if (CONSTRUCTOR == null) {
            throw new IllegalStateException("this parquet-hadoop version has no ParquetReadOptions constructor dmap can use");
        }
        try {
            return CONSTRUCTOR.newInstance(
                    false, false, false, false, false, false, false, false, false, // no filters, checksums or vectored I/O
                    FilterCompat.NOOP, ParquetMetadataConverter.NO_FILTER, new ParquetCodecs(),
                    new HeapByteBufferAllocator(), MAX_ALLOCATION, new HashMap<String, String>(), null, null,
                    new PlainParquetConfiguration());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make Parquet's read options: " + e, e);
        }
    }

    private static Constructor<ParquetReadOptions> constructor() {
        try {
            Constructor<ParquetReadOptions> c = ParquetReadOptions.class.getDeclaredConstructor(
                    boolean.class, boolean.class, boolean.class, boolean.class, boolean.class, boolean.class,
                    boolean.class, boolean.class, boolean.class, FilterCompat.Filter.class,
                    ParquetMetadataConverter.MetadataFilter.class, CompressionCodecFactory.class, ByteBufferAllocator.class,
                    int.class, Map.class, FileDecryptionProperties.class, ParquetMetricsCallback.class,
                    ParquetConfiguration.class);
            c.setAccessible(true);
            return c;
        } catch (NoSuchMethodException | RuntimeException e) {
            return null;
        }
    }
}
