package io.dmap.planner.s3;

import io.dmap.asl.map.MapRunSpec;
import io.dmap.asl.map.MapRunSpec.ItemReaderSpec;
import io.dmap.asl.map.MapRunSpec.ManifestType;
import io.dmap.asl.map.MapRunSpec.ReaderConfig;
import io.dmap.planner.planning.InputArrayReader;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderFactory;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.service.BucketGuard;
import io.dmap.service.DmapConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Chooses the reader for a spec: the request's Input array; listObjectsV2 (a listing, or with LOAD_AND_FLATTEN
 * every listed object read as InputType); getObject as JSON, JSONL, CSV or PARQUET, or a manifest (S3_INVENTORY,
 * or ATHENA_DATA whose data files are read as InputType). JSON, JSONL and CSV objects named {@code .gz},
 * {@code .zst} or {@code .zstd} are decompressed as they are read.
 */
@ApplicationScoped
public class S3ItemReaders implements ItemReaderFactory {

    private final S3Client s3;
    private final S3Objects objects;
    private final BucketGuard buckets;

    public S3ItemReaders(S3Client s3) {
        this(s3, BucketGuard.ANY);
    }

    @Inject
    public S3ItemReaders(S3Client s3, DmapConfig config) {
        this(s3, BucketGuard.of(config));
    }

    public S3ItemReaders(S3Client s3, BucketGuard buckets) {
        this.s3 = s3;
        this.objects = new S3Objects(s3);
        this.buckets = buckets;
    }

    @Override
    public void checkSupported(MapRunSpec spec) {
        // every source the spec parser accepts is read
    }

    @Override
    public ItemReader readerFor(MapRunSpec spec) {
        ItemReaderSpec reader = spec.itemReader();
        if (reader == null) {
            return InputArrayReader.of(spec);
        }
        if (!buckets.allows(reader.bucket())) {
            // refused when planning reads: the run fails with States.ItemReaderFailed, the planner goes on
            String refusal = buckets.refusal("ItemReader", reader.bucket());
            return () -> {
                throw new ItemReaderException(refusal);
            };
        }
        ReaderConfig config = reader.readerConfig();
        if (reader.resource() == MapRunSpec.ReaderResource.LIST_OBJECTS_V2) {
            ListObjectsV2Reader listing = new ListObjectsV2Reader(s3, reader.bucket(), reader.prefix());
            if (!config.loadAndFlatten()) {
                return listing;
            }
            return new FlattenReader(listing, key -> objectReader(reader.bucket(), key, null, config));
        }
        if (config.manifestType() == ManifestType.S3_INVENTORY) {
            return new ManifestReader(objects, reader.bucket(), reader.key(), reader.versionId(), this::guarded);
        }
        if (config.manifestType() == ManifestType.ATHENA_DATA) {
            return new AthenaManifestReader(objects, reader.bucket(), reader.key(), reader.versionId(),
                    file -> guarded(file, objectReader(file.bucket(), file.key(), null, config)));
        }
        return objectReader(reader.bucket(), reader.key(), reader.versionId(), config);
    }

    /**
     * A manifest's data file may be in another bucket than the manifest: the bucket guard applies to it too (the
     * run fails with States.ItemReaderFailed when it reaches that file).
     */
    private ItemReader guarded(ObjectSequenceReader.S3Ref file, ItemReader reader) {
        if (buckets.allows(file.bucket())) {
            return reader;
        }
        String refusal = buckets.refusal("a data file listed in the manifest", file.bucket());
        return () -> {
            throw new ItemReaderException(refusal);
        };
    }

    private ItemReader objectReader(String bucket, String key, String versionId, ReaderConfig config) {
        return switch (config.inputType()) {
            case JSON -> new JsonFileReader(objects, bucket, key, versionId, config.itemsPointer());
            case JSONL -> new JsonlObjectReader(objects, bucket, key, versionId);
            case CSV -> new CsvObjectReader(objects, bucket, key, versionId, config);
            case PARQUET -> new ParquetObjectReader(objects, bucket, key);
            case MANIFEST -> new ManifestReader(objects, bucket, key, versionId, this::guarded);
        };
    }
}
