package io.dmap.planner.awsapi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SigV4 verification against the "get-vanilla" case of AWS's published Signature Version 4 test suite. */
class SigV4Test {

    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final Instant SIGNED_AT = Instant.parse("2015-08-30T12:36:00Z");
    static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

    static SigV4.Request request(String method, String authorization, byte[] body) {
        return new SigV4.Request(method, "/", null, Map.of("Host", List.of("example.amazonaws.com"),
                "X-Amz-Date", List.of("20150830T123600Z"), "Authorization", List.of(authorization)), body);
    }

    static String verify(SigV4.Request request, Instant now) {
        return SigV4.verify(request, id -> id.equals("AKIDEXAMPLE") ? SECRET : null, now, Duration.ofMinutes(15));
    }

    @Test
    void awsTestSuiteRequestVerifies() {
        assertEquals("AKIDEXAMPLE", verify(request("GET", AUTHORIZATION, new byte[0]), SIGNED_AT.plusSeconds(60)));
    }

    @Test
    void anythingSignedThatChangesFailsTheSignature() {
        assertEquals("InvalidSignatureException", assertThrows(AwsError.class, () -> verify(request("POST",
                AUTHORIZATION, new byte[0]), SIGNED_AT)).type());
        assertEquals("InvalidSignatureException", assertThrows(AwsError.class, () -> verify(request("GET",
                AUTHORIZATION, "{}".getBytes(StandardCharsets.UTF_8)), SIGNED_AT)).type());
        assertEquals("InvalidSignatureException", assertThrows(AwsError.class, () -> verify(request("GET",
                AUTHORIZATION.replace("5fa0", "5fa1"), new byte[0]), SIGNED_AT)).type());
    }

    @Test
    void staleUnknownAndMalformedSignaturesAreRefusedByName() {
        AwsError stale = assertThrows(AwsError.class, () -> verify(request("GET", AUTHORIZATION, new byte[0]),
                SIGNED_AT.plus(Duration.ofMinutes(16))));
        assertEquals("InvalidSignatureException", stale.type());
        assertEquals(true, stale.getMessage().startsWith("Signature expired"), stale.getMessage());
        assertEquals("UnrecognizedClientException", assertThrows(AwsError.class, () -> verify(request("GET",
                AUTHORIZATION.replace("AKIDEXAMPLE", "AKIDOTHER"), new byte[0]), SIGNED_AT)).type());
        assertEquals("IncompleteSignatureException", assertThrows(AwsError.class, () -> verify(request("GET",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request", new byte[0]),
                SIGNED_AT)).type());
    }
}
