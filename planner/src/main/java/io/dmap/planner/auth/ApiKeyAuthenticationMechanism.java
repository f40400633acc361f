package io.dmap.planner.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;
import java.util.Set;

/**
 * {@code Authorization: Bearer <token>} where the token is a configured API key. Tried before the JWT mechanism: a
 * token that is no API key is left to it when an OIDC provider's keys are configured
 * ({@code mp.jwt.verify.publickey.location}), and refused (401) here when none are.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final boolean oidc;

    public ApiKeyAuthenticationMechanism(ApiKeys keys,
                                         @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> oidcKeys) {
        this.keys = keys;
        this.oidc = oidcKeys.filter(s -> !s.isBlank()).isPresent();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        Optional<String> token = bearer(context);
        if (token.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        Optional<ApiKeys.Caller> caller = keys.match(token.get());
        if (caller.isPresent()) {
            return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyRequest(caller.get()), context));
        }
        if (oidc) {
            return Uni.createFrom().nullItem(); // perhaps an OIDC access token: the JWT mechanism verifies it
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("the bearer token is not a configured API key"));
    }

    static Optional<String> bearer(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String token = header.substring(BEARER.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    /** The challenge with a JSON body, like every other error of the API (the default one has no body). */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().headWritten()) {
            AuthFailures.unauthorized(context);
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100; // before the JWT mechanism, which would reject an API key as a malformed JWT
    }
}
