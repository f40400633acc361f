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
 *
 * <p>The console: a browser cannot put a bearer token on a page load or an EventSource, so an API key entered once on
 * {@code /login.html} travels in the session cookie {@value #COOKIE} (SameSite=Strict: never sent by another site's
 * page). A header wins over the cookie. A request authenticated by the cookie that changes something (any method but
 * GET, HEAD, OPTIONS) must also carry {@value #CONSOLE_HEADER}, which the console's scripts set and which a cross-site
 * form cannot: a second guard against cross-site request forgery. A page load without a token is sent to the sign-in
 * page instead of getting the API's JSON 401.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String BEARER = "Bearer ";
    public static final String COOKIE = "dmap-token";
    public static final String CONSOLE_HEADER = "X-Dmap-Console";
    static final String LOGIN_PAGE = "/login.html";

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
            token = cookie(context);
            if (token.isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            if (!safe(context) && context.request().getHeader(CONSOLE_HEADER) == null) {
                return Uni.createFrom().failure(new AuthenticationFailedException(
                        "a change authenticated by the console's cookie needs the " + CONSOLE_HEADER + " header"));
            }
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

    /** The console's session cookie, only when there is no Authorization header. */
    static Optional<String> cookie(RoutingContext context) {
        if (context.request().getHeader(HttpHeaders.AUTHORIZATION) != null) {
            return Optional.empty();
        }
        io.vertx.core.http.Cookie c = context.request().getCookie(COOKIE);
        if (c == null || c.getValue() == null || c.getValue().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(java.net.URLDecoder.decode(c.getValue(), java.nio.charset.StandardCharsets.UTF_8).trim());
    }

    private static boolean safe(RoutingContext context) {
        String m = context.request().method().name();
        return m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS");
    }

    /** A browser loading a page (GET, accepts HTML) without a token: the sign-in page, then back here. */
    static boolean pageLoad(RoutingContext context) {
        String accept = context.request().getHeader(HttpHeaders.ACCEPT);
        return context.request().method().name().equals("GET") && accept != null && accept.contains("text/html")
                && bearer(context).isEmpty() && cookie(context).isEmpty();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    /** The challenge with a JSON body, like every other error of the API (the default one has no body). */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().headWritten()) {
            if (pageLoad(context)) {
                AuthFailures.toLogin(context);
            } else {
                AuthFailures.unauthorized(context);
            }
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
