package io.dmap.planner.awsapi;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Step Functions wire protocol's own settings, under {@code planner.aws-api.*}. With {@code planner.auth.enabled},
 * a request signed with AWS Signature Version 4 is verified against these credentials (a bearer token of the REST API
 * is accepted too). One pair is set with {@code access-key-id} / {@code secret-access-key} (environment:
 * {@code PLANNER_AWS_API_ACCESS_KEY_ID}, {@code PLANNER_AWS_API_SECRET_ACCESS_KEY}); more, each with its role, under
 * {@code credentials.<name>.*} in a properties file. Give a secret through the environment or a secret store, never
 * on a command line.
 */
@ConfigMapping(prefix = "planner.aws-api")
public interface AwsApiConfig {

    /** The access key id of the one pair (its caller's name in logs is {@code default}). */
    Optional<String> accessKeyId();

    /** Its secret: SigV4 needs the secret itself; it is never logged. */
    Optional<String> secretAccessKey();

    /** Its role: {@code operate} (the default: the pair a CLI user signs with) or {@code read}. */
    @WithDefault("operate")
    String role();

    /** More credentials by name (the name is the caller's identity in logs). */
    Map<String, Credential> credentials();

    /** How far a request's {@code X-Amz-Date} may be from the planner's clock (AWS allows 15 minutes). */
    @WithDefault("15m")
    Duration maxClockSkew();

    interface Credential {
        /** The access key id a client signs with ({@code AWS_ACCESS_KEY_ID}). */
        String accessKeyId();

        /** Its secret ({@code AWS_SECRET_ACCESS_KEY}); SigV4 needs the secret itself, it is never logged. */
        String secretAccessKey();

        /** {@code read} (Describe*, List*, GetExecutionHistory, ValidateStateMachineDefinition) or {@code operate}. */
        @WithDefault("read")
        String role();
    }
}
