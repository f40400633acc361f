package io.dmap.service;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The S3 client's retries: a request that cannot reach S3 at all (connection refused or reset, unknown host, I/O
 * timeout: an S3 server restarting, a network blip) is retried with capped exponential backoff for up to
 * {@code maxTime} since its first such failure; every other failure (throttling, 5xx, 4xx) goes to the SDK's
 * standard strategy (3 attempts). S3 calls of dmap are idempotent (objects are written whole under deterministic
 * keys, deletes and reads repeat harmlessly), so a request repeated after a lost answer duplicates nothing.
 *
 * <p>Connection failures bypass the standard strategy's token bucket on purpose: that bucket is shared by every
 * request of the client and would, during an outage, stop all retries after about a hundred.
 */
public final class S3ConnectionRetry implements RetryStrategy {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final RetryStrategy others;
    private final Duration maxTime;
    private final Duration maxBackoff;

    public S3ConnectionRetry(Duration maxTime, Duration maxBackoff) {
        this(AwsRetryStrategy.standardRetryStrategy(), maxTime, maxBackoff);
    }

    S3ConnectionRetry(RetryStrategy others, Duration maxTime, Duration maxBackoff) {
        this.others = others;
        this.maxTime = maxTime;
        this.maxBackoff = maxBackoff;
    }

    /** The other strategy's token, and since when (nanoTime) and how often this request could not connect. */
    private record Token(RetryToken others, long unreachableSince, int unreachable) implements RetryToken {
    }

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
        AcquireInitialTokenResponse r = others.acquireInitialToken(request);
        return AcquireInitialTokenResponse.create(new Token(r.token(), 0, 0), r.delay());
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        Token token = (Token) request.token();
        if (!unreachable(request.failure())) {
            RefreshRetryTokenResponse r = others.refreshRetryToken(request.toBuilder().token(token.others()).build());
            return RefreshRetryTokenResponse.create(new Token(r.token(), token.unreachableSince(), token.unreachable()),
                    r.delay());
        }
        long now = System.nanoTime();
        long since = token.unreachable() == 0 ? now : token.unreachableSince();
        long left = maxTime.toNanos() - (now - since);
        if (left <= 0) {
            throw new TokenAcquisitionFailedException("S3 unreachable for " + maxTime.toSeconds()
                    + " s (dmap.s3.connection-retry.max-time)", token, request.failure());
        }
        Duration delay = backoff(token.unreachable(), Duration.ofNanos(left));
        return RefreshRetryTokenResponse.create(new Token(token.others(), since, token.unreachable() + 1), delay);
    }

    /** 200 ms doubling, capped at maxBackoff and at the time left; half of it random, so clients spread out. */
    Duration backoff(int failures, Duration left) {
        long cap = Math.min(maxBackoff.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(failures, 20));
        long millis = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
        return Duration.ofMillis(Math.min(millis, left.toMillis()));
    }

    /** A failure to reach S3 at all: a client-side I/O error, never an answer from S3. */
    static boolean unreachable(Throwable failure) {
        if (!(failure instanceof SdkClientException)) {
            return false;
        }
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        Token token = (Token) request.token();
        RecordSuccessResponse r = others.recordSuccess(RecordSuccessRequest.create(token.others()));
        return RecordSuccessResponse.create(new Token(r.token(), token.unreachableSince(), token.unreachable()));
    }

    @Override
    public int maxAttempts() {
        return others.maxAttempts();
    }

    /** The SDK must not rebuild this strategy with its own defaults (it would lose the connection retries). */
    @Override
    public boolean useClientDefaults() {
        return false;
    }

    @Override
    public Builder<?, ?> toBuilder() {
        throw new UnsupportedOperationException("S3ConnectionRetry is configured by dmap.s3.connection-retry.*");
    }

    @Override
    public void close() {
        others.close();
    }
}
