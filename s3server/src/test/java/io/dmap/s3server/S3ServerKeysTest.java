package io.dmap.s3server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 server of the tests and of ./dmap up (both stores) takes the keys S3 takes, through the AWS SDK: long keys
 * with long segments, any UTF-8, S3's special characters, a key beside a "folder" of the same name, empty objects;
 * and lists them as S3 does (UTF-8 binary order, prefixes, delimiter, pages of any size).
 */
class S3ServerKeysTest {

    static final Map<String, S3Server> servers = new TreeMap<>();
    static Path folder;

    /** The keys every test puts; each is a case the filesystem store could not take as a file name. */
    static final List<String> KEYS = List.of(
            "x".repeat(1024),                                  // S3's longest key
            "a/" + "y".repeat(906) + "/b",                     // the 906-character segment of issue 14
            "é".repeat(512),                                   // 1,024 bytes of 2-byte UTF-8
            "日本/" + "語".repeat(300),                          // 3-byte UTF-8, 900-byte segment
            "emoji/\uD83D\uDE00\uD83D\uDCA5.json",             // 4-byte UTF-8 (above the BMP: UTF-16 order differs)
            "emoji/\uFF5E.json",                               // BMP above the surrogates: sorts before the emoji in UTF-8
            "p+q%r#s~t=u&v.json", "p q", "p/?x=1;y", "a", "a/", "a/b", "a/b/c", "ab", "a!", "./x", "a/../b", "z..z",
            "'quote'\"and\"<xml>&amp;", "tab\there", "empty");

    @BeforeAll
    static void start() throws Exception {
        folder = Files.createTempDirectory("dmap-s3server-test");
        for (String store : List.of("transient", "filesystem")) {
            S3Server server = S3Server.start(store, folder.resolve(store), URI.create("http://127.0.0.1:0"), "dmap", "dmap-secret-key");
            servers.put(store, server);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (S3Server s : servers.values()) {
            s.close();
        }
    }

    static S3Client client(String store) {
        return S3Client.builder().endpointOverride(servers.get(store).endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClientBuilder(Apache5HttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("dmap", "dmap-secret-key")))
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"transient", "filesystem"})
    void everyKeyS3TakesRoundTrips(String store) {
        try (S3Client s3 = client(store)) {
            String bucket = "keys-" + store;
            s3.createBucket(b -> b.bucket(bucket));
            for (String key : KEYS) {
                byte[] body = key.equals("empty") ? new byte[0] : ("body of " + key).getBytes(StandardCharsets.UTF_8);
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
                assertArrayEquals(body, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), key);
                assertEquals(body.length, s3.headObject(b -> b.bucket(bucket).key(key)).contentLength(), key);
            }
            for (String key : KEYS) { // nothing overwrote anything ("a" beside "a/b", "a/")
                String expected = key.equals("empty") ? "" : "body of " + key;
                assertEquals(expected, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String(), key);
            }
            assertEquals(sorted(KEYS), listAll(s3, bucket, null, 1000));

            String longCopy = "copy/" + "c".repeat(1000);
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(KEYS.get(1)).destinationBucket(bucket).destinationKey(longCopy));
            assertEquals("body of " + KEYS.get(1), s3.getObjectAsBytes(b -> b.bucket(bucket).key(longCopy)).asUtf8String());
            s3.deleteObject(b -> b.bucket(bucket).key(longCopy));
            s3.deleteObject(b -> b.bucket(bucket).key("a"));
            assertEquals("body of a/b", s3.getObjectAsBytes(b -> b.bucket(bucket).key("a/b")).asUtf8String());
            List<String> left = new ArrayList<>(KEYS);
            left.remove("a");
            assertEquals(sorted(left), listAll(s3, bucket, null, 7));

            S3Exception tooLong = assertThrows(S3Exception.class,
                    () -> s3.putObject(b -> b.bucket(bucket).key("x".repeat(1025)), RequestBody.fromString("no")));
            assertEquals(400, tooLong.statusCode());
            assertEquals("KeyTooLongError", tooLong.awsErrorDetails().errorCode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"transient", "filesystem"})
    void listingMatchesS3ForEveryPrefixDelimiterAndPageSize(String store) {
        Random random = new Random(14);
        List<String> keys = new ArrayList<>(new LinkedHashSet<>(KEYS));
        for (int i = 0; i < 40; i++) { // a tree of short keys with shared prefixes, some segments long
            keys.add("t/" + (char) ('a' + random.nextInt(3)) + "/" + (random.nextBoolean() ? "n" + i : "L".repeat(150 + i)) + (i % 5 == 0 ? "/" : ".j"));
        }
        keys = new ArrayList<>(new LinkedHashSet<>(keys));
        Collections.shuffle(keys, random);
        try (S3Client s3 = client(store)) {
            String bucket = "list-" + store;
            s3.createBucket(b -> b.bucket(bucket));
            for (String key : keys) {
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("v"));
            }
            for (String prefix : Arrays.asList(null, "a", "a/", "t/", "t/b/", "emoji/", "x".repeat(300), "none/")) {
                // small pages (many requests) on the prefixes with the most keys and groups; one page on the others
                int[] pages = prefix == null || prefix.equals("t/") ? new int[]{4, 1000} : new int[]{1000};
                for (int page : pages) {
                    assertEquals(expected(keys, prefix, null), listAll(s3, bucket, prefix, page), prefix + " page " + page);
                    assertEquals(expected(keys, prefix, "/"), listGrouped(s3, bucket, prefix, page), prefix + " / page " + page);
                }
            }
            assertEquals(expected(keys, "t/", "."), listGroupedBy(s3, bucket, "t/", ".", 2));
            List<String> afterA = expected(keys, null, null).stream().filter(k -> compareUtf8(k, "a/b") > 0).toList();
            assertEquals(afterA, s3.listObjectsV2Paginator(b -> b.bucket(bucket).startAfter("a/b").maxKeys(4)).contents()
                    .stream().map(S3Object::key).toList());
        }
    }

    static List<String> listAll(S3Client s3, String bucket, String prefix, int page) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).maxKeys(page)).contents().stream()
                .map(S3Object::key).toList();
    }

    static List<String> listGrouped(S3Client s3, String bucket, String prefix, int page) {
        return listGroupedBy(s3, bucket, prefix, "/", page);
    }

    /** Contents and common prefixes of every page, merged in S3's order, each prefix once. */
    static List<String> listGroupedBy(S3Client s3, String bucket, String prefix, String delimiter, int page) {
        List<String> all = new ArrayList<>();
        for (ListObjectsV2Response r : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter(delimiter).maxKeys(page))) {
            assertTrue(r.keyCount() <= page, "page of " + r.keyCount() + " > " + page);
            r.contents().forEach(o -> all.add(o.key()));
            r.commonPrefixes().forEach(p -> all.add("PREFIX " + p.prefix()));
        }
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(all));
        assertEquals(all.size(), unique.size(), "an entry listed twice: " + all);
        unique.sort((x, y) -> compareUtf8(x.replaceFirst("^PREFIX ", ""), y.replaceFirst("^PREFIX ", "")));
        return unique;
    }

    /** What S3 lists: keys under the prefix in UTF-8 binary order, grouped by the delimiter after the prefix. */
    static List<String> expected(List<String> keys, String prefix, String delimiter) {
        String p = prefix == null ? "" : prefix;
        Set<String> out = new LinkedHashSet<>();
        for (String k : sorted(keys)) {
            if (!k.startsWith(p)) {
                continue;
            }
            int cut = delimiter == null ? -1 : k.indexOf(delimiter, p.length());
            out.add(cut < 0 ? k : "PREFIX " + k.substring(0, cut + delimiter.length()));
        }
        return new ArrayList<>(out);
    }

    static List<String> sorted(List<String> keys) {
        List<String> s = new ArrayList<>(keys);
        s.sort(S3ServerKeysTest::compareUtf8);
        return s;
    }

    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    static final Comparator<String> UTF8 = S3ServerKeysTest::compareUtf8;
}
