package io.dmap.service;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The buckets a map run may touch through its definition (ItemReader, ResultWriter, {@code aws-sdk:s3} tasks),
 * from {@code dmap.s3.allowed-buckets}: names, or {@code prefix-*} patterns; absent: every bucket the service's
 * credentials reach. dmap's own buckets (claim checks) are not subject to it.
 */
public final class BucketGuard {

    public static final BucketGuard ANY = new BucketGuard(Optional.empty());

    private final Optional<List<Pattern>> allowed;
    private final String listed;

    public BucketGuard(Optional<List<String>> allowedBuckets) {
        this.allowed = allowedBuckets.map(list -> list.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(BucketGuard::pattern).toList());
        this.listed = allowedBuckets.map(list -> String.join(", ", list)).orElse("(any)");
    }

    public static BucketGuard of(DmapConfig config) {
        return new BucketGuard(config.s3().allowedBuckets());
    }

    public boolean allows(String bucket) {
        return allowed.isEmpty() || (bucket != null && allowed.get().stream().anyMatch(p -> p.matcher(bucket).matches()));
    }

    /** Why {@code bucket} may not be used, for an error cause; call only when {@link #allows} said no. */
    public String refusal(String what, String bucket) {
        return what + " on bucket '" + bucket + "' refused: it is not in dmap.s3.allowed-buckets (" + listed + ")";
    }

    private static Pattern pattern(String glob) {
        return Pattern.compile(Pattern.quote(glob).replace("*", "\\E.*\\Q"));
    }

}
