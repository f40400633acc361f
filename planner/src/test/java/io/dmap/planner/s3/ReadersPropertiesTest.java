package io.dmap.planner.s3;

import io.dmap.asl.map.SpecParser;
import io.dmap.planner.planning.ItemReader;
import io.dmap.planner.planning.ItemReaderException;
import io.dmap.planner.planning.ItemStream;
import io.dmap.planner.planning.MalformedItemException;
import io.dmap.testsupport.DmapInfra;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile objects (issue 14) for every reader, on the real S3 server: random bytes, truncated gzip, huge lines, deep
 * nesting, NUL, invalid UTF-8. Reading one to its end gives items, item failures ({@link MalformedItemException}:
 * {@code s3://bucket/key line N: ...}) or a run failure ({@link ItemReaderException}, States.ItemReaderFailed, naming
 * the object); never another exception, an error, or a read that does not end ({@link #LIMIT}).
 */
class ReadersPropertiesTest {

    static final String BUCKET = "hostile-objects";
    static final Duration LIMIT = Duration.ofSeconds(30);
    static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "reader-fuzz");
        t.setDaemon(true);
        return t;
    });
    static final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    static final AtomicInteger objects = new AtomicInteger();

    static DmapInfra infra;
    static S3ItemReaders readers;

    @BeforeContainer
    static void bucket() {
        infra = DmapInfra.shared();
        infra.createBucket(BUCKET);
        readers = new S3ItemReaders(infra.s3());
    }

    @AfterContainer
    static void report() {
        System.out.println("ReadersPropertiesTest: " + objects.get() + " hostile objects read; outcomes " + outcomes);
    }

    @Property(tries = 40)
    void jsonl(@ForAll("hostile") byte[] body) {
        readsSafely("JSONL", "", body);
    }

    @Property(tries = 30)
    void jsonArray(@ForAll("hostile") byte[] body) {
        readsSafely("JSON", "", body);
    }

    @Property(tries = 30)
    void csvWithHeaderRow(@ForAll("hostile") byte[] body) {
        readsSafely("CSV", ", \"CSVHeaderLocation\": \"FIRST_ROW\"", body);
    }

    @Property(tries = 20)
    void csvWithGivenHeaders(@ForAll("hostile") byte[] body) {
        readsSafely("CSV", ", \"CSVHeaderLocation\": \"GIVEN\", \"CSVHeaders\": [\"a\", \"b\"], \"CSVDelimiter\": \"SEMICOLON\"", body);
    }

    @Property(tries = 20)
    void manifestItself(@ForAll("hostile") byte[] body) {
        readsSafely("MANIFEST", "", body);
    }

    /** A well-formed manifest whose gzipped CSV data file is the hostile part (truncated gzip, random bytes). */
    @Property(tries = 30)
    void manifestDataFile(@ForAll("hostile") byte[] data) {
        String key = "m/" + objects.incrementAndGet();
        put(key + "/data.csv.gz", data);
        byte[] manifest = ("{\"sourceBucket\": \"src\", \"destinationBucket\": \"arn:aws:s3:::" + BUCKET + "\", \"version\": \"2016-11-30\","
                + " \"fileFormat\": \"CSV\", \"fileSchema\": \"Bucket, Key, Size\", \"files\": [{\"key\": \"" + key
                + "/data.csv.gz\", \"size\": 1, \"MD5checksum\": \"x\"}]}").getBytes(StandardCharsets.UTF_8);
        readsSafely("MANIFEST", "", manifest, key + "/manifest.json");
    }

    @Provide
    Arbitrary<byte[]> hostile() {
        return Arbitraries.longs().map(seed -> Hostile.bytes(new Random(seed)));
    }

    private void readsSafely(String inputType, String config, byte[] body) {
        readsSafely(inputType, config, body, "o/" + objects.incrementAndGet());
    }

    private void readsSafely(String inputType, String config, byte[] body, String key) {
        put(key, body);
        ItemReader reader = readers.readerFor(SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "%s", "Key": "%s"},
                                "ReaderConfig": {"InputType": "%s"%s}},
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}
                """.formatted(BUCKET, key, inputType, config)));
        String source = "s3://" + BUCKET + "/" + key.replaceFirst("/manifest\\.json$", "");
        Future<String> read = POOL.submit(() -> readAll(reader, source));
        try {
            outcomes.computeIfAbsent(inputType + " " + read.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS), k -> new AtomicInteger())
                    .incrementAndGet();
        } catch (ExecutionException e) {
            fail(inputType + " reader on " + describe(body) + " threw " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            read.cancel(true);
            fail(inputType + " reader on " + describe(body) + " did not finish within " + LIMIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
    }

    /** Reads to the end; returns "items", "item failures" or "run failure"; throws anything else. */
    private static String readAll(ItemReader reader, String source) {
        boolean itemFailures = false;
        try (ItemStream stream = reader.open()) {
            while (stream.hasNext()) {
                try {
                    stream.next();
                } catch (MalformedItemException e) {
                    assertTrue(e.getMessage().startsWith(e.source() + " line " + e.line() + ": ") && e.source().startsWith(source)
                            && e.line() >= 1, "an item failure must name the object and line: " + e.getMessage());
                    // at most MAX_RAW_BYTES bytes were decoded (invalid UTF-8 becomes U+FFFD: more bytes, never more chars)
                    assertTrue(e.raw().length() <= MalformedItemException.MAX_RAW_BYTES, "raw kept " + e.raw().length() + " chars");
                    itemFailures = true;
                }
            }
        } catch (ItemReaderException e) {
            assertTrue(e.getMessage().contains(source), "a reader failure must name the object " + source + ": " + e.getMessage());
            return "run failure";
        }
        return itemFailures ? "item failures" : "items";
    }

    private static void put(String key, byte[] body) {
        infra.s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
    }

    private static String describe(byte[] body) {
        int n = Math.min(body.length, 120);
        StringBuilder sb = new StringBuilder(body.length + " bytes starting ");
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", body[i]));
        }
        return sb.toString();
    }

    /** Generators of hostile object bodies. */
    static final class Hostile {

        private Hostile() {
        }

        static byte[] bytes(Random r) {
            return switch (r.nextInt(9)) {
                case 0 -> random(r, r.nextInt(4096));
                case 1 -> truncated(r, gzip(plausible(r)));
                case 2 -> gzip(plausible(r));
                case 3 -> hugeLine(r);
                case 4 -> deep(r);
                case 5 -> corrupt(r, plausible(r));
                case 6 -> new byte[0];
                case 7 -> truncated(r, plausible(r));
                default -> plausible(r);
            };
        }

        /** Lines that a reader could take: JSON values, objects, CSV rows. */
        static byte[] plausible(Random r) {
            StringBuilder sb = new StringBuilder();
            boolean array = r.nextBoolean();
            if (array) {
                sb.append('[');
            }
            int lines = 1 + r.nextInt(30);
            for (int i = 0; i < lines; i++) {
                if (array && i > 0) {
                    sb.append(',');
                }
                switch (r.nextInt(5)) {
                    case 0 -> sb.append("{\"n\": ").append(i).append(", \"s\": \"x\\u00e9\\\"y\"}");
                    case 1 -> sb.append(i);
                    case 2 -> sb.append("\"a\",\"b\",\"c\"");
                    case 3 -> sb.append("a;b\";\"c");
                    default -> sb.append("[1, {\"k\": [true, null]}]");
                }
                sb.append(r.nextInt(5) == 0 ? "\r\n" : "\n");
            }
            if (array && r.nextBoolean()) {
                sb.append(']');
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        static byte[] random(Random r, int n) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            return b;
        }

        static byte[] truncated(Random r, byte[] b) {
            return java.util.Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
        }

        /** NUL, invalid UTF-8 (lone continuation, overlong, a cut 3-byte sequence, 0xFF), stray quotes and CRs. */
        static byte[] corrupt(Random r, byte[] b) {
            byte[][] poison = {{0}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF},
                    {'"'}, {'\r'}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {'\\'}, {'\n'}};
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte x : b) {
                out.write(x);
                if (r.nextInt(12) == 0) {
                    out.writeBytes(poison[r.nextInt(poison.length)]);
                }
            }
            return out.toByteArray();
        }

        /** One line of 1-2 MiB (JSON string or bare text), between ordinary lines. */
        static byte[] hugeLine(Random r) {
            int n = (1 + r.nextInt(2)) * 1024 * 1024;
            StringBuilder sb = new StringBuilder(n + 64).append("{\"n\": 1}\n");
            sb.append(r.nextBoolean() ? "\"" : "");
            sb.append("x".repeat(n));
            sb.append(r.nextBoolean() ? "\"\n" : "\n");
            sb.append("{\"n\": 2}\n");
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** Nesting far past any sane depth, in a line or as the whole file, closed or not. */
        static byte[] deep(Random r) {
            int depth = 2_000 + r.nextInt(200_000);
            String open = r.nextBoolean() ? "[" : "{\"a\":";
            String close = open.equals("[") ? "]" : "}";
            String body = open.repeat(depth) + "1" + (r.nextBoolean() ? close.repeat(depth) : "");
            return ("[" + body + "]\n" + body + "\n{\"n\": 3}\n").getBytes(StandardCharsets.UTF_8);
        }

        static byte[] gzip(byte[] b) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(b);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return bytes.toByteArray();
        }
    }
}
