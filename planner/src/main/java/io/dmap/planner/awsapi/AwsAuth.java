package io.dmap.planner.awsapi;

import io.dmap.planner.auth.ApiAuthConfig;
import io.dmap.planner.auth.Roles;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Who may call an operation of the wire protocol when {@code planner.auth.enabled}: a request signed with SigV4 by
 * one of {@code planner.aws-api.credentials}, or one carrying a bearer token the REST API accepts (an API key or an
 * OIDC access token, already verified by the planner's authentication mechanisms). Reading operations need the read
 * role, the others operate. The signature covers the body, so it is checked here, with the body in hand, rather than
 * in an HTTP authentication mechanism (which runs before the body is read).
 */
@ApplicationScoped
public class AwsAuth {

    private static final Logger LOG = Logger.getLogger(AwsAuth.class);

    /** A caller that may call the operation: its name for the log. */
    record Caller(String name) {
    }

    private record Key(String name, String secret, Set<String> roles) {
    }

    private final boolean enabled;
    private final AwsApiConfig config;
    private final Map<String, Key> byAccessKeyId;
    private final Clock clock = Clock.systemUTC();

    public AwsAuth(ApiAuthConfig auth, AwsApiConfig config) {
        this.enabled = auth.enabled();
        this.config = config;
        Map<String, Key> keys = new HashMap<>();
        config.credentials().forEach((name, c) -> add(keys, c.accessKeyId(), new Key(name, c.secretAccessKey(),
                roles("credentials." + name, c.role()))));
        if (config.accessKeyId().isPresent() != config.secretAccessKey().isPresent()) {
            throw new IllegalArgumentException("planner.aws-api.access-key-id and planner.aws-api.secret-access-key "
                    + "go together: set both or neither");
        }
        config.accessKeyId().ifPresent(id -> add(keys, id, new Key("default", config.secretAccessKey().get(),
                roles("role", config.role()))));
        this.byAccessKeyId = Map.copyOf(keys);
    }

    private static void add(Map<String, Key> keys, String accessKeyId, Key key) {
        if (keys.put(accessKeyId, key) != null) {
            throw new IllegalArgumentException("the access key id of planner.aws-api credentials '" + key.name()
                    + "' is configured twice");
        }
    }

    void report(@Observes StartupEvent event) {
        if (enabled) {
            LOG.infof("the Step Functions API (POST /) verifies SigV4 signatures against %d credential(s) "
                    + "(planner.aws-api.*) and accepts the REST API's bearer tokens", byAccessKeyId.size());
        }
    }

    private static Set<String> roles(String name, String role) {
        return switch (role) {
            case "read" -> Set.of(Roles.READ);
            case "operate" -> Set.of(Roles.READ, Roles.OPERATE);
            default -> throw new IllegalArgumentException("planner.aws-api." + name
                    + (name.equals("role") ? "" : ".role") + " must be read or operate, was '" + role + "'");
        };
    }

    /** @throws AwsError when the caller is not authenticated or lacks {@code role} for {@code operation} */
    Caller authorize(String operation, String role, SigV4.Request request, SecurityIdentity identity) {
        if (!enabled) {
            return new Caller("anonymous");
        }
        boolean signed = request.header("Authorization").stream().anyMatch(h -> h.startsWith(SigV4.ALGORITHM));
        String name;
        Set<String> roles;
        if (signed) {
            String keyId = SigV4.verify(request, id -> {
                Key k = byAccessKeyId.get(id);
                return k == null ? null : k.secret();
            }, clock.instant(), config.maxClockSkew());
            Key key = byAccessKeyId.get(keyId);
            name = "aws-key:" + key.name();
            roles = key.roles();
        } else if (identity != null && !identity.isAnonymous()) {
            name = identity.getPrincipal().getName();
            roles = identity.getRoles();
        } else {
            throw new AwsError("MissingAuthenticationTokenException", "Missing Authentication Token: sign the request "
                    + "with SigV4 (credentials of planner.aws-api.credentials) or send a bearer token");
        }
        if (!roles.contains(role)) {
            throw new AwsError("AccessDeniedException", "User: " + name + " is not authorized to perform: states:"
                    + operation + " (it needs the '" + role + "' role)");
        }
        return new Caller(name);
    }
}
