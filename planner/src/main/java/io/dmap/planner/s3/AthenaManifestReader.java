package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import io.dmap.planner.s3.ObjectSequenceReader.S3Ref;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * ManifestType ATHENA_DATA: the {@code <query id>-manifest.csv} that Athena's UNLOAD writes, one S3 URI of a data
 * file a line ({@code s3://bucket/key}, no header). The data files are read in the manifest's order, each as the
 * ReaderConfig's InputType (CSV, JSONL or PARQUET; compressed ones by extension); their rows are the items.
 * Position: that of {@link ObjectSequenceReader}.
 */
final class AthenaManifestReader implements ItemReader {

    /** The manifest is read whole before the first item: a list of files, small next to the data. */
    static final int MAX_FILES = 1_000_000;

    private final S3Objects objects;
    private final String bucket;
    private final String key;
    private final String versionId;
    private final Function<S3Ref, ItemReader> dataReader;

    AthenaManifestReader(S3Objects objects, String bucket, String key, String versionId, Function<S3Ref, ItemReader> dataReader) {
        this.objects = objects;
        this.bucket = bucket;
        this.key = key;
        this.versionId = versionId;
        this.dataReader = dataReader;
    }

    @Override
    public ItemStream open() {
        return open(null);
    }

    @Override
    public ItemStream open(JsonNode position) {
        return new ObjectSequenceReader(files(), dataReader).open(position);
    }

    List<S3Ref> files() {
        String source = S3Objects.uri(bucket, key);
        List<S3Ref> files = new ArrayList<>();
        try (ByteInput in = new ByteInput(objects.open(bucket, key, versionId, 0), 0, 1)) {
            in.skipBom();
            CsvRecords records = new CsvRecords(in, ',', source);
            for (List<String> row = records.next(); row != null; row = records.next()) {
                String uri = row.get(0).trim();
                if (uri.isEmpty()) {
                    continue;
                }
                if (files.size() == MAX_FILES) {
                    throw new ItemReaderException(source + ": the manifest lists more than " + MAX_FILES + " data files");
                }
                files.add(parse(uri, source + " line " + records.line()));
            }
        } catch (IOException e) {
            throw S3Objects.failure(bucket, key, e);
        } catch (SdkException e) {
            throw S3Objects.failure(bucket, key, e);
        }
        return files;
    }

    static S3Ref parse(String uri, String where) {
        int slash = uri.indexOf('/', 5);
        if (!uri.toLowerCase(Locale.ROOT).startsWith("s3://") || slash < 6 || slash == uri.length() - 1) {
            throw new ItemReaderException(where + ": '" + uri + "' is not the S3 URI of a data file (s3://bucket/key)");
        }
        return new S3Ref(uri.substring(5, slash), uri.substring(slash + 1));
    }
}
