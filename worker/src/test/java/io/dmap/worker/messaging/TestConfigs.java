package io.dmap.worker.messaging;

import io.dmap.service.DmapConfig;
import io.dmap.worker.config.KafkaSettings;
import io.dmap.worker.config.WorkerConfig;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Configuration objects for running the Kafka adapters without Quarkus. */
final class TestConfigs {

    private TestConfigs() {
    }

    static WorkerConfig worker(String groupId, String name, Duration drainTimeout) {
        return worker(groupId, name, drainTimeout, 0);
    }

    static WorkerConfig worker(String groupId, String name, Duration drainTimeout, int lanesMax) {
        return new WorkerConfig() {
            public Lanes lanes() { return () -> lanesMax; }
            public String groupId() { return groupId; }
            public Optional<String> name() { return Optional.of(name); }
            public boolean enabled() { return true; }
            public Duration pollTimeout() { return Duration.ofMillis(100); }
            public int maxPollRecords() { return 10; }
            public int inlineConcurrency() { return 8; }
            public Duration drainTimeout() { return drainTimeout; }
            public Duration abortCheckInterval() { return Duration.ofMillis(200); }
            public int resumedAtOnce() { return 32; }
            public Duration startedReportDelay() { return Duration.ZERO; }
            public Duration lagInterval() { return Duration.ofSeconds(5); }
            public Lambda lambda() { return Map::of; }
            public ClaimCheck claimCheck() {
                return new ClaimCheck() {
                    public Optional<String> bucket() { return Optional.empty(); }
                    public int thresholdBytes() { return 512 * 1024; }
                };
            }
            public Http http() {
                return new Http() {
                    public Duration connectTimeout() { return Duration.ofSeconds(1); }
                    public Duration requestTimeout() { return Duration.ofSeconds(60); }
                };
            }
            public Outbound outbound() {
                return new Outbound() {
                    public Optional<java.util.List<String>> allowedHosts() { return Optional.empty(); }
                    public boolean allowLoopback() { return true; }
                    public boolean allowLinkLocal() { return false; }
                };
            }
        };
    }

    static DmapConfig dmap(String namespace, int batchPartitions) {
        return new DmapConfig() {
            public Topics topics() {
                return new Topics() {
                    public Optional<String> namespace() { return Optional.of(namespace); }
                    public int batchPartitions() { return batchPartitions; }
                    public int partitions() { return 2; }
                    public short replicationFactor() { return 1; }
                };
            }

            public Log log() {
                return () -> false;
            }

            public S3 s3() {
                return new S3() {
                    public Optional<URI> endpoint() { return Optional.empty(); }
                    public String region() { return "us-east-1"; }
                    public Optional<String> accessKey() { return Optional.empty(); }
                    public Optional<String> secretKey() { return Optional.empty(); }
                    public boolean pathStyle() { return true; }
                    public Optional<java.util.List<String>> allowedBuckets() { return Optional.empty(); }
                    public ConnectionRetry connectionRetry() {
                        return new ConnectionRetry() {
                            public java.time.Duration maxTime() { return java.time.Duration.ofMinutes(2); }
                            public java.time.Duration maxBackoff() { return java.time.Duration.ofSeconds(5); }
                        };
                    }
                };
            }
        };
    }

    static KafkaSettings kafka(String bootstrap, DmapConfig dmap, WorkerConfig worker) {
        return new KafkaSettings(io.dmap.service.kafka.KafkaClientConfig.of(bootstrap), dmap, worker);
    }
}
