package io.dmap.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.util.Optional;

/** The settings every dmap service shares (prefix {@code dmap}). */
@ConfigMapping(prefix = "dmap")
public interface DmapConfig {

    Topics topics();

    S3 s3();

    interface Topics {
        /** Optional prefix of all topic names. */
        Optional<String> namespace();

        @WithDefault("12")
        int batchPartitions();

        @WithDefault("6")
        int partitions();

        @WithDefault("1")
        short replicationFactor();
    }

    interface S3 {
        /** S3-compatible endpoint; AWS's default when absent. */
        Optional<URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        Optional<String> accessKey();

        Optional<String> secretKey();

        @WithDefault("true")
        boolean pathStyle();
    }
}
