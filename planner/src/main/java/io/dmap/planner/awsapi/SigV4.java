package io.dmap.planner.awsapi;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}),
 * verified the way AWS computes it: canonical request (method, URI, query, the signed headers, the payload's SHA-256)
 * → string to sign (with the credential scope) → HMAC with the key derived from the secret, date, region and service.
 */
final class SigV4 {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** What the Authorization header says. */
    record Authorization(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
                         String signature) {
        String scope() {
            return date + "/" + region + "/" + service + "/aws4_request";
        }
    }

    /** A request as it arrived: header names in any case. */
    record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        List<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
        }
    }

    private SigV4() {
    }

    static Authorization parse(String header) {
        if (!header.startsWith(ALGORITHM + " ")) {
            throw incomplete("the Authorization header must start with " + ALGORITHM);
        }
        Map<String, String> parts = new TreeMap<>();
        for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        for (String needed : List.of("Credential", "SignedHeaders", "Signature")) {
            if (!parts.containsKey(needed)) {
                throw incomplete("Authorization header requires '" + needed + "' parameter");
            }
        }
        String[] credential = parts.get("Credential").split("/");
        if (credential.length != 5 || !"aws4_request".equals(credential[4])) {
            throw incomplete("Credential must be <accessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request");
        }
        return new Authorization(credential[0], credential[1], credential[2], credential[3],
                Arrays.asList(parts.get("SignedHeaders").toLowerCase(Locale.ROOT).split(";")), parts.get("Signature"));
    }

    /**
     * @param secretOf the secret of an access key id, or null for an unknown one
     * @return the access key id that signed the request
     */
    static String verify(Request request, Function<String, String> secretOf, Instant now, java.time.Duration skew) {
        List<String> header = request.header("Authorization");
        if (header.size() != 1) {
            throw new AwsError("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        Authorization auth = parse(header.get(0));
        String secret = secretOf.apply(auth.accessKeyId());
        if (secret == null) {
            throw new AwsError("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (!request.header("X-Amz-Security-Token").isEmpty()) {
            throw new AwsError("UnrecognizedClientException", "The security token included in the request is invalid "
                    + "(dmap's credentials are static: no session token)");
        }
        if (!auth.signedHeaders().contains("host")) {
            throw incomplete("SignedHeaders must include 'host'");
        }
        List<String> date = request.header("X-Amz-Date");
        if (date.size() != 1 || !auth.signedHeaders().contains("x-amz-date")) {
            throw incomplete("the request needs a signed X-Amz-Date header");
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(date.get(0)));
        } catch (DateTimeParseException e) {
            throw incomplete("X-Amz-Date must be yyyyMMdd'T'HHmmss'Z', was '" + date.get(0) + "'");
        }
        if (!date.get(0).startsWith(auth.date())) {
            throw new AwsError("InvalidSignatureException", "Credential should be scoped to a valid date: '"
                    + date.get(0).substring(0, 8) + "' != '" + auth.date() + "'");
        }
        if (signedAt.isBefore(now.minus(skew)) || signedAt.isAfter(now.plus(skew))) {
            throw new AwsError("InvalidSignatureException", "Signature expired: " + date.get(0) + " is not within "
                    + skew.toMinutes() + " minutes of " + AMZ_DATE.format(now));
        }
        String canonical = canonicalRequest(request, auth.signedHeaders());
        String toSign = ALGORITHM + "\n" + date.get(0) + "\n" + auth.scope() + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = signingKey(secret, auth.date(), auth.region(), auth.service());
        byte[] expected = hmac(key, toSign);
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(auth.signature());
        } catch (IllegalArgumentException e) {
            presented = new byte[0];
        }
        if (!MessageDigest.isEqual(expected, presented)) {
            throw new AwsError("InvalidSignatureException", "The request signature we calculated does not match the "
                    + "signature you provided. Check your AWS Secret Access Key and signing method.");
        }
        return auth.accessKeyId();
    }

    static String canonicalRequest(Request request, List<String> signedHeaders) {
        StringBuilder b = new StringBuilder();
        b.append(request.method()).append('\n');
        b.append(request.rawPath() == null || request.rawPath().isEmpty() ? "/" : request.rawPath()).append('\n');
        b.append(canonicalQuery(request.rawQuery())).append('\n');
        for (String name : signedHeaders) {
            List<String> values = request.header(name);
            b.append(name).append(':').append(values.stream().map(SigV4::trim).collect(Collectors.joining(",")))
                    .append('\n');
        }
        b.append('\n').append(String.join(";", signedHeaders)).append('\n');
        b.append(hex(sha256(request.body() == null ? new byte[0] : request.body())));
        return b.toString();
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            params.add(new String[]{encode(URLDecoder.decode(k, StandardCharsets.UTF_8)),
                    encode(URLDecoder.decode(v, StandardCharsets.UTF_8))});
        }
        params.sort((a, c) -> a[0].equals(c[0]) ? a[1].compareTo(c[1]) : a[0].compareTo(c[0]));
        return params.stream().map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"));
    }

    /** RFC 3986 unreserved characters stay, everything else is %XX (upper case), as SigV4 wants. */
    private static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-_.~".indexOf(c) >= 0) {
                b.append(c);
            } else {
                b.append('%').append(String.format("%02X", x & 0xff));
            }
        }
        return b.toString();
    }

    private static String trim(String value) {
        return value.trim().replaceAll(" +", " ");
    }

    static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, region);
        k = hmac(k, service);
        return hmac(k, "aws4_request");
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static AwsError incomplete(String message) {
        return new AwsError("IncompleteSignatureException", message);
    }
}
