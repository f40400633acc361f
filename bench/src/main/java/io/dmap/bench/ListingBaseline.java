package io.dmap.bench;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The limit for scenario 3: a bare AWS SDK v2 listObjectsV2 paginator loop over the same bucket. */
final class ListingBaseline {

    record Result(long objects, double seconds) {
    }

    private ListingBaseline() {
    }

    static Result run(S3Client s3, String bucket, String prefix) {
        long t0 = System.nanoTime();
        long n = 0;
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            if (o.key() != null) {
                n++;
            }
        }
        return new Result(n, (System.nanoTime() - t0) / 1e9);
    }
}
