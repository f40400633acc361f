package io.dmap.planner.awsapi;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.net.URI;
import java.net.URL;

/** The AWS SDK's Step Functions client pointed at a test planner: no retries, so every answer is the first. */
public final class Sfn {

    private Sfn() {
    }

    public static SfnClient client(URL planner, String accessKeyId, String secret) {
        return SfnClient.builder()
                .endpointOverride(URI.create(planner.toString().replaceAll("/+$", "")))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
