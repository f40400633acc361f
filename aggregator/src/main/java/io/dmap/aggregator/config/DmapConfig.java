package io.dmap.aggregator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.util.Optional;

/** The configuration every dmap service shares: topics and the S3 endpoint. */
@ConfigMapping(prefix = "dmap")
public interface DmapConfig {

    Topics topics();

    S3 s3();

    interface Topics {
        /** Optional prefix of every topic name, so that several installations can share a cluster. */
        Optional<String> namespace();

        /** Partitions of map-batches when dmap creates it: the cluster's parallelism. */
        @WithDefault("12")
        int batchPartitions();

        /** Partitions of map-runs, map-outcomes and map-run-status when dmap creates them. */
        @WithDefault("6")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        default io.dmap.common.topics.Topics names() {
            return io.dmap.common.topics.Topics.of(namespace().orElse(""));
        }
    }

    interface S3 {
        /** S3-compatible endpoint (S3Proxy, MinIO); absent: AWS's own endpoint. */
        Optional<URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** Static credentials when both are set; otherwise the default AWS credentials chain. */
        Optional<String> accessKey();

        Optional<String> secretKey();

        @WithDefault("true")
        boolean pathStyle();
    }
}
