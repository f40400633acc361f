package io.dmap.planner.s3;

import io.dmap.common.spec.MapRunSpec;
import io.dmap.common.spec.MapRunSpec.ItemReaderSpec;
import io.dmap.common.spec.SpecException;
import io.dmap.planner.planning.InputArrayReader;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.s3.S3Client;

/** Chooses the reader for a spec: the request's Input array, or an S3 source. */
@ApplicationScoped
public class S3ItemReaders implements ItemReaderFactory {

    private final S3Client s3;

    public S3ItemReaders(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public void checkSupported(MapRunSpec spec) {
        ItemReaderSpec reader = spec.itemReader();
        if (reader == null) {
            return;
        }
        if (reader.resource() != MapRunSpec.ReaderResource.LIST_OBJECTS_V2) {
            throw new SpecException("ItemReader.Resource", "'" + reader.resource().arn + "' is not supported by dmap yet; use "
                    + MapRunSpec.ReaderResource.LIST_OBJECTS_V2.arn);
        }
        if (reader.readerConfig().loadAndFlatten()) {
            throw new SpecException("ItemReader.ReaderConfig.Transformation", "LOAD_AND_FLATTEN is not supported by dmap yet");
        }
    }

    @Override
    public ItemReader readerFor(MapRunSpec spec) {
        checkSupported(spec);
        ItemReaderSpec reader = spec.itemReader();
        if (reader == null) {
            return new InputArrayReader(spec.input(), spec.itemsPath());
        }
        return new ListObjectsV2Reader(s3, reader.bucket(), reader.prefix());
    }
}
