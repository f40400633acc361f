package io.dmap.planner.auth;

import io.dmap.planner.it.Specs;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.security.Key;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every endpoint with each kind of caller: nobody, a bad token, a read and an operate API key, and OIDC access tokens
 * (signed with the key {@link JwksServer} publishes, or with another key, expired, or for another audience).
 */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
@TestProfile(ApiAuthTest.AuthOn.class)
class ApiAuthTest {

    static final String READ_KEY = "dmap-read-key-0f3b7a";
    static final String OPERATE_KEY = "dmap-operate-key-92c4e1";

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(Map.of(
                    "planner.auth.enabled", "true",
                    "planner.auth.api-keys.dashboard.sha256", sha256(READ_KEY),
                    "planner.auth.api-keys.dashboard.role", "read",
                    "planner.auth.api-keys.ci.sha256", sha256(OPERATE_KEY),
                    "planner.auth.api-keys.ci.role", "operate",
                    // the provider calls its admins "dmap-admins"
                    "quarkus.http.auth.roles-mapping.\"dmap-admins\"", "operate"));
            config.putAll(AwsSigV4AuthTest.CREDENTIALS); // the Step Functions API's SigV4 credentials
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(JwksServer.class));
        }
    }

    record Call(String method, String path) {
        Response send(RequestSpecification request) {
            return request.contentType("application/json").body(method.equals("GET") ? "" : "{}").request(method, path);
        }
    }

    static final List<Call> READS = List.of(
            new Call("GET", "/map-runs"),
            new Call("GET", "/map-runs/00000000-0000-0000-0000-000000000000"),
            new Call("GET", "/map-runs/00000000-0000-0000-0000-000000000000/events"),
            new Call("GET", "/q/openapi"));
    static final List<Call> OPERATIONS = List.of(
            new Call("POST", "/map-runs"),
            new Call("POST", "/map-runs/00000000-0000-0000-0000-000000000000/abort"),
            new Call("POST", "/map-runs/00000000-0000-0000-0000-000000000000/redrive"),
            new Call("PATCH", "/map-runs/00000000-0000-0000-0000-000000000000"));

    @Test
    void withoutATokenEveryEndpointAnswers401WithAJsonBody() {
        for (Call call : concat(READS, OPERATIONS)) {
            Response r = call.send(given());
            assertEquals(401, r.statusCode(), call::toString);
            assertEquals("Bearer", r.header("WWW-Authenticate"), call::toString);
            assertEquals("Unauthorized", r.jsonPath().getString("error"), call::toString);
            assertTrue(r.jsonPath().getString("message").contains("Authorization: Bearer"), r.asString());
        }
    }

    @Test
    void healthAndMetricsStayOpenForProbesAndScrapers() {
        assertEquals(200, given().get("/q/health/live").statusCode());
        assertEquals(200, given().get("/q/metrics").statusCode());
    }

    @Test
    void anUnknownTokenIs401() {
        for (String token : List.of("not-a-key", OPERATE_KEY + "x", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")) {
            Response r = new Call("GET", "/map-runs").send(given().auth().oauth2(token));
            assertEquals(401, r.statusCode(), token);
            assertEquals("Unauthorized", r.jsonPath().getString("error"), r::asString);
            assertTrue(r.header("WWW-Authenticate").startsWith("Bearer"), r.header("WWW-Authenticate"));
        }
    }

    @Test
    void theReadKeyReadsButCannotOperate() {
        for (Call call : READS) {
            int status = call.send(given().auth().oauth2(READ_KEY)).statusCode();
            assertNotAuthFailure(status, call);
        }
        for (Call call : OPERATIONS) {
            Response r = call.send(given().auth().oauth2(READ_KEY));
            assertEquals(403, r.statusCode(), call::toString);
            assertEquals("AccessDenied", r.jsonPath().getString("error"), r::asString);
            assertTrue(r.jsonPath().getString("message").contains("'operate' role"), r::asString);
        }
    }

    @Test
    void theOperateKeyDoesEverything() {
        for (Call call : concat(READS, OPERATIONS)) {
            assertNotAuthFailure(call.send(given().auth().oauth2(OPERATE_KEY)).statusCode(), call);
        }
        // and really starts a run
        Response started = given().auth().oauth2(OPERATE_KEY).contentType("application/json")
                .body(Specs.inline()).post("/map-runs");
        assertEquals(201, started.statusCode(), started::asString);
    }

    @Test
    void oidcAccessTokensCarryTheirRoles() throws Exception {
        String reader = token(signingKey(), issuer(), "dmap", List.of("read"), 300);
        String admin = token(signingKey(), issuer(), "dmap", List.of("dmap-admins"), 300);
        for (Call call : READS) {
            assertNotAuthFailure(call.send(given().auth().oauth2(reader)).statusCode(), call);
        }
        for (Call call : OPERATIONS) {
            assertEquals(403, call.send(given().auth().oauth2(reader)).statusCode(), call::toString);
            assertNotAuthFailure(call.send(given().auth().oauth2(admin)).statusCode(), call);
        }
    }

    @Test
    void oidcTokensThatDoNotVerifyAre401() throws Exception {
        RsaJsonWebKey other = RsaJwkGenerator.generateJwk(2048);
        other.setKeyId("dmap-test-key");
        Map<String, String> bad = Map.of(
                "signed by another key", token(other.getPrivateKey(), issuer(), "dmap", List.of("operate"), 300),
                "expired", token(signingKey(), issuer(), "dmap", List.of("operate"), -600),
                "for another audience", token(signingKey(), issuer(), "billing", List.of("operate"), 300),
                "from another issuer", token(signingKey(), "https://elsewhere.example", "dmap", List.of("operate"), 300));
        bad.forEach((why, token) -> {
            Response r = new Call("GET", "/map-runs").send(given().auth().oauth2(token));
            assertEquals(401, r.statusCode(), why);
            assertEquals("Unauthorized", r.jsonPath().getString("error"), why + ": " + r.asString());
        });
    }

    @Test
    void theConsoleSignsInWithAKeyKeptInACookie() {
        // a page load without a token goes to the sign-in page, which itself is open
        Response page = given().redirects().follow(false).accept("text/html").get("/map-runs/some-run");
        assertEquals(303, page.statusCode(), page::asString);
        assertEquals("/login.html?then=%2Fmap-runs%2Fsome-run", page.header("Location"));
        Response login = given().get("/login.html");
        assertEquals(200, login.statusCode());
        assertTrue(login.asString().contains("id=\"sign-in\""), login::asString);
        // the API's own callers still get the JSON 401
        assertEquals(401, given().accept("application/json").get("/map-runs").statusCode());

        // with the key in the cookie: pages, the API and the progress stream (EventSource sends cookies)
        assertEquals(200, given().cookie("dmap-token", READ_KEY).accept("text/html").get("/").statusCode());
        assertNotAuthFailure(given().cookie("dmap-token", READ_KEY).get("/map-runs").statusCode(),
                new Call("GET", "/map-runs"));
        assertEquals(401, given().cookie("dmap-token", "not-a-key").get("/map-runs").statusCode());

        // a change by cookie needs the console's header (a cross-site form cannot set it) and the operate role
        Response forged = given().cookie("dmap-token", OPERATE_KEY).contentType("application/json")
                .body(Specs.inline()).post("/map-runs");
        assertEquals(401, forged.statusCode(), forged::asString);
        Response reader = given().cookie("dmap-token", READ_KEY).header("X-Dmap-Console", "1")
                .contentType("application/json").body(Specs.inline()).post("/map-runs");
        assertEquals(403, reader.statusCode(), reader::asString);
        Response started = given().cookie("dmap-token", OPERATE_KEY).header("X-Dmap-Console", "1")
                .contentType("application/json").body(Specs.inline()).post("/map-runs");
        assertEquals(201, started.statusCode(), started::asString);
    }

    private static void assertNotAuthFailure(int status, Call call) {
        assertNotEquals(401, status, call::toString);
        assertNotEquals(403, status, call::toString);
    }

    private static String token(Key key, String issuer, String audience, List<String> groups, int expiresInSeconds)
            throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject("alice");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(expiresInSeconds / 60f);
        claims.setStringListClaim("groups", groups);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue("dmap-test-key");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static Key signingKey() throws Exception {
        String jwk = ConfigProvider.getConfig().getValue(JwksServer.SIGNING_KEY, String.class);
        return ((RsaJsonWebKey) JsonWebKey.Factory.newJwk(jwk)).getPrivateKey();
    }

    private static String issuer() {
        return ConfigProvider.getConfig().getValue(JwksServer.ISSUER, String.class);
    }

    static String sha256(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }

    private static List<Call> concat(List<Call> a, List<Call> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
