package io.dmap.planner.auth;

import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The configured API keys, looked up by the SHA-256 of the presented token (constant-time comparison). */
@Singleton
public class ApiKeys {

    /** A matched key: its configured name and the roles it grants. */
    public record Caller(String name, Set<String> roles) {
    }

    private final Map<String, ApiAuthConfig.ApiKey> keys;

    public ApiKeys(ApiAuthConfig config) {
        this.keys = Map.copyOf(config.apiKeys());
        keys.forEach((name, key) -> {
            if (!key.sha256().toLowerCase(Locale.ROOT).matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("planner.auth.api-keys." + name
                        + ".sha256 must be the 64 hex digits of the key's SHA-256, not the key itself");
            }
        });
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    public Optional<Caller> match(String token) {
        byte[] presented = sha256(token);
        Caller found = null;
        for (Map.Entry<String, ApiAuthConfig.ApiKey> e : keys.entrySet()) {
            byte[] expected = HexFormat.of().parseHex(e.getValue().sha256().toLowerCase(Locale.ROOT));
            if (MessageDigest.isEqual(presented, expected) && found == null) {
                found = new Caller(e.getKey(), e.getValue().role().granted());
            }
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
