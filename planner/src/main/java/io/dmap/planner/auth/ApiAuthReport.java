package io.dmap.planner.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/** Says at start who may use the API, loudly when nobody needs to authenticate or nobody can. */
@ApplicationScoped
public class ApiAuthReport {

    private static final Logger LOG = Logger.getLogger(ApiAuthReport.class);

    private final ApiAuthConfig config;
    private final ApiKeys keys;
    private final Optional<String> oidcKeys;

    public ApiAuthReport(ApiAuthConfig config, ApiKeys keys,
                         @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> oidcKeys) {
        this.config = config;
        this.keys = keys;
        this.oidcKeys = oidcKeys.filter(s -> !s.isBlank());
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.warn("API authentication is OFF (planner.auth.enabled=false): anyone who reaches this port can start, "
                    + "abort and redrive map runs");
        } else if (keys.isEmpty() && oidcKeys.isEmpty()) {
            LOG.warn("API authentication is on but neither an API key (planner.auth.api-keys.*) nor an OIDC provider's "
                    + "keys (mp.jwt.verify.publickey.location) are configured: every request but /q/health and /q/metrics is refused");
        } else {
            LOG.infof("API authentication is on: %d API key(s)%s; GET needs the read role, other methods the operate role",
                    keys.size(), oidcKeys.map(k -> ", OIDC access tokens verified with the keys at " + k).orElse(""));
        }
    }
}
