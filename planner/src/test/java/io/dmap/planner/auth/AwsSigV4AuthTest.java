package io.dmap.planner.auth;

import io.dmap.common.json.Json;
import io.dmap.planner.awsapi.Sfn;
import io.dmap.testsupport.DmapInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnException;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Step Functions API with authentication on: requests signed with SigV4 by the AWS SDK are verified against
 * {@code planner.aws-api.credentials} (the secret, the signature over the body, the role of the operation), and the
 * REST API's bearer tokens work there too. Shares {@link ApiAuthTest}'s profile (one planner for both).
 */
@QuarkusTest
@QuarkusTestResource(value = DmapInfraResource.class, restrictToAnnotatedClass = false)
@TestProfile(ApiAuthTest.AuthOn.class)
class AwsSigV4AuthTest {

    static final String OPERATE_ID = "AKIDDMAPOPERATE01";
    static final String OPERATE_SECRET = "operate/secret+0123456789abcdefghijklmnop";
    static final String READ_ID = "AKIDDMAPREAD00001";
    static final String READ_SECRET = "read/secret+0123456789abcdefghijklmnopqrs";
    static final Map<String, String> CREDENTIALS = Map.of(
            // the one pair (operate by default), as PLANNER_AWS_API_ACCESS_KEY_ID / _SECRET_ACCESS_KEY would set it
            "planner.aws-api.access-key-id", OPERATE_ID,
            "planner.aws-api.secret-access-key", OPERATE_SECRET,
            "planner.aws-api.credentials.viewer.access-key-id", READ_ID,
            "planner.aws-api.credentials.viewer.secret-access-key", READ_SECRET);

    static final String PASS = "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}";
    static final String ROLE = "arn:aws:iam::123456789012:role/dmap-test";

    @TestHTTPResource("/")
    URL planner;

    private void as(String id, String secret, Consumer<SfnClient> calls) {
        try (SfnClient sfn = Sfn.client(planner, id, secret)) {
            calls.accept(sfn);
        }
    }

    private static String errorOf(Runnable call) {
        return assertThrows(SfnException.class, call::run).awsErrorDetails().errorCode();
    }

    @Test
    void signedRequestsAreVerifiedAgainstTheConfiguredCredentials() {
        String name = "signed-" + System.nanoTime() % 1_000_000;
        as(OPERATE_ID, OPERATE_SECRET, sfn -> {
            String arn = sfn.createStateMachine(b -> b.name(name).definition(PASS).roleArn(ROLE)).stateMachineArn();
            assertEquals(name, sfn.describeStateMachine(b -> b.stateMachineArn(arn)).name());
        });
        as(READ_ID, READ_SECRET, sfn -> {
            assertTrue(sfn.listStateMachines(b -> { }).stateMachines().stream().anyMatch(m -> m.name().equals(name)));
            String denied = errorOf(() -> sfn.createStateMachine(b -> b.name(name + "-2").definition(PASS).roleArn(ROLE)));
            assertEquals("AccessDeniedException", denied);
        });
        as(OPERATE_ID, "the-wrong-secret", sfn -> assertEquals("InvalidSignatureException",
                errorOf(() -> sfn.listStateMachines(b -> { }))));
        as("AKIDUNKNOWN000000", OPERATE_SECRET, sfn -> assertEquals("UnrecognizedClientException",
                errorOf(() -> sfn.listStateMachines(b -> { }))));
    }

    @Test
    void unsignedRequestsNeedABearerToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder list = HttpRequest.newBuilder(planner.toURI())
                .header("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
                .header("Content-Type", "application/x-amz-json-1.0").POST(HttpRequest.BodyPublishers.ofString("{}"));
        HttpResponse<String> anonymous = http.send(list.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, anonymous.statusCode(), anonymous::body);
        assertEquals("MissingAuthenticationTokenException", Json.parse(anonymous.body()).path("__type").asText());
        HttpResponse<String> bearer = http.send(list.header("Authorization", "Bearer " + ApiAuthTest.READ_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, bearer.statusCode(), bearer::body);
        // the console at GET / still needs the read role
        given().get("/").then().statusCode(401);
        given().header("Authorization", "Bearer " + ApiAuthTest.READ_KEY).get("/").then().statusCode(200);
    }
}
