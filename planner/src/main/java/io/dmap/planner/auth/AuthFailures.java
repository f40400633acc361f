package io.dmap.planner.auth;

import io.dmap.common.json.Json;
import io.dmap.planner.rest.ErrorBody;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * 401 and 403 answers with a JSON body like every other error of the API: what is missing and what to send.
 * The path policies of application.properties fail the request before it reaches the REST layer, so this is a
 * route failure handler rather than an exception mapper.
 */
@ApplicationScoped
public class AuthFailures {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        Throwable failure = context.failure();
        if (context.response().headWritten()) {
            context.next();
        } else if (failure instanceof UnauthorizedException && ApiKeyAuthenticationMechanism.pageLoad(context)) {
            toLogin(context);
        } else if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            unauthorized(context);
        } else if (failure instanceof ForbiddenException) {
            String needed = switch (context.request().method().name()) {
                case "GET", "HEAD", "OPTIONS" -> Roles.READ;
                default -> Roles.OPERATE;
            };
            answer(context, 403, ErrorBody.of("AccessDenied", context.request().method().name() + " "
                    + context.normalizedPath() + " needs the '" + needed + "' role, which this caller does not have"));
        } else {
            context.next();
        }
    }

    /** 303 to the console's sign-in page, which comes back to this path once a key is entered. */
    static void toLogin(RoutingContext context) {
        String back = context.request().uri();
        context.response().setStatusCode(303)
                .putHeader(HttpHeaders.LOCATION, ApiKeyAuthenticationMechanism.LOGIN_PAGE + "?then="
                        + java.net.URLEncoder.encode(back, java.nio.charset.StandardCharsets.UTF_8))
                .end();
    }

    /** 401: no token, or one that was not accepted. Also the challenge of {@link ApiKeyAuthenticationMechanism}. */
    static void unauthorized(RoutingContext context) {
        boolean presented = ApiKeyAuthenticationMechanism.bearer(context).isPresent()
                || ApiKeyAuthenticationMechanism.cookie(context).isPresent();
        context.response().putHeader("WWW-Authenticate", presented ? "Bearer error=\"invalid_token\"" : "Bearer");
        answer(context, 401, ErrorBody.of("Unauthorized", presented
                ? "the bearer token was not accepted (unknown API key, or an invalid or expired OIDC token)"
                : "this request needs an 'Authorization: Bearer <token>' header (an API key or an OIDC access token)"));
    }

    private static void answer(RoutingContext context, int status, ErrorBody body) {
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Json.toString(body));
    }
}
