package io.dmap.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.util.Optional;

/** The settings every dmap service shares, under {@code dmap.*} (see the README's configuration table). */
@ConfigMapping(prefix = "dmap")
public interface DmapConfig {

    Topics topics();

    S3 s3();

    Log log();

    interface Log {
        /** The console log as one JSON object a line (see {@link io.dmap.service.logging.JsonLogs}). */
        @WithDefault("false")
        boolean json();
    }

    interface Topics {
        /** Optional prefix of the topic names, so several installations can share one cluster. */
        Optional<String> namespace();

        /** Partitions of map-batches when dmap creates it: the cluster's parallelism P. */
        @WithDefault("12")
        int batchPartitions();

        /** Partitions of map-runs, map-outcomes and map-run-status when dmap creates them. */
        @WithDefault("6")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        /** The topic names under this namespace. */
        default io.dmap.common.topics.Topics names() {
            return io.dmap.common.topics.Topics.of(namespace().orElse(""));
        }
    }

    interface S3 {
        /** S3-compatible endpoint; absent means AWS. */
        Optional<URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** Static credentials when both are set; otherwise the default AWS credentials chain. */
        Optional<String> accessKey();

        Optional<String> secretKey();

        /** Path-style access, needed by S3Proxy and MinIO. */
        @WithDefault("true")
        boolean pathStyle();

        /**
         * The buckets map runs may read, write and call tasks on (names, or {@code prefix-*}); absent: any bucket the
         * credentials reach. See {@link io.dmap.service.BucketGuard}.
         */
        Optional<java.util.List<String>> allowedBuckets();

        /** How long a request retries while S3 cannot be reached at all (see {@link S3ConnectionRetry}). */
        ConnectionRetry connectionRetry();
    }

    interface ConnectionRetry {
        /**
         * A request that cannot connect (S3 restarting, network down) is retried for this long since its first such
         * failure, then fails; other errors keep the SDK's 3 attempts.
         */
        @WithDefault("2m")
        java.time.Duration maxTime();

        /** The longest pause between two attempts (the pauses start at 200 ms and double). */
        @WithDefault("5s")
        java.time.Duration maxBackoff();
    }
}
