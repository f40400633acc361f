package io.dmap.service;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one S3 client of a dmap service, built from {@code dmap.s3.*}: endpoint, region, path-style, static credentials
 * when set, and {@link S3ConnectionRetry} so that an S3 server restarting does not fail what is being read or written.
 */
@Singleton
public class S3ClientProducer {

    @Produces
    @Singleton
    S3Client s3Client(DmapConfig config) {
        return client(config.s3());
    }

    /** The client for these settings (also used by tests that build it without CDI). */
    public static S3Client client(DmapConfig.S3 s3) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle())
                .overrideConfiguration(o -> o.retryStrategy(new S3ConnectionRetry(
                        s3.connectionRetry().maxTime(), s3.connectionRetry().maxBackoff())));
        s3.endpoint().ifPresent(builder::endpointOverride);
        if (s3.accessKey().isPresent() && s3.secretKey().isPresent()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s3.accessKey().get(), s3.secretKey().get())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    /**
     * A client of one S3-compatible endpoint with static credentials, path-style, us-east-1: what a tool or a test
     * that runs its own S3 server needs, without a {@code dmap.s3.*} configuration.
     */
    public static S3Client client(URI endpoint, String accessKey, String secretKey, Duration retryMaxTime,
                                  Duration retryMaxBackoff) {
        return client(new Endpoint(endpoint, accessKey, secretKey, retryMaxTime, retryMaxBackoff));
    }

    private record Endpoint(URI uri, String access, String secret, Duration maxTime, Duration maxBackoff)
            implements DmapConfig.S3, DmapConfig.ConnectionRetry {
        public Optional<URI> endpoint() {
            return Optional.of(uri);
        }

        public String region() {
            return "us-east-1";
        }

        public Optional<String> accessKey() {
            return Optional.of(access);
        }

        public Optional<String> secretKey() {
            return Optional.of(secret);
        }

        public boolean pathStyle() {
            return true;
        }

        public Optional<List<String>> allowedBuckets() {
            return Optional.empty();
        }

        public DmapConfig.ConnectionRetry connectionRetry() {
            return this;
        }
    }

    void close(@Disposes S3Client client) {
        client.close();
    }
}
