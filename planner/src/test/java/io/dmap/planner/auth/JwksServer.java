package io.dmap.planner.auth;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A minimal OIDC provider for the planner's tests: a real HTTP server on 127.0.0.1 that publishes one RSA
 * signing key as a JWKS, as Keycloak, Entra ID or Cognito do at their jwks_uri. The private half is handed to the
 * test through the configuration ({@value #SIGNING_KEY}) so it can issue tokens.
 */
public class JwksServer implements QuarkusTestResourceLifecycleManager {

    static final String SIGNING_KEY = "test.oidc.signing-jwk";
    static final String ISSUER = "test.oidc.issuer";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("dmap-test-key");
            byte[] jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/protocol/openid-connect/certs", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(jwks);
                }
            });
            server.start();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            return Map.of(
                    "mp.jwt.verify.publickey.location", base + "/protocol/openid-connect/certs",
                    "mp.jwt.verify.issuer", base,
                    "mp.jwt.verify.audiences", "dmap",
                    ISSUER, base,
                    SIGNING_KEY, key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test OIDC key server", e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
