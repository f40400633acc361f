package io.dmap.planner.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

/**
 * Who may use the planner's API, under {@code planner.auth.*} (see docs/deployment-security.md). Bearer tokens:
 * static API keys (here) and OIDC access tokens (JWTs verified with the provider's keys, {@code mp.jwt.verify.*}). GET, HEAD and OPTIONS need the
 * {@code read} role, every other method the {@code operate} role; /q/health and /q/metrics are open.
 */
@ConfigMapping(prefix = "planner.auth")
public interface ApiAuthConfig {

    /** Off only for {@code ./dmap up} on loopback, which says so in its banner. */
    @WithDefault("true")
    boolean enabled();

    /** Static API keys by name (the name is the caller's identity in logs). */
    Map<String, ApiKey> apiKeys();

    interface ApiKey {
        /** SHA-256 of the key, in hex ({@code printf %s "$KEY" | sha256sum}): the key itself is never configured. */
        String sha256();

        /** {@code read} or {@code operate} (which includes read). */
        @WithDefault("read")
        Role role();
    }

    enum Role {
        READ, OPERATE;

        /** The roles a caller with this role has: operate includes read. */
        java.util.Set<String> granted() {
            return this == OPERATE ? java.util.Set.of(Roles.READ, Roles.OPERATE) : java.util.Set.of(Roles.READ);
        }
    }
}
