package io.dmap.bench;

import io.dmap.s3server.KeyCodec;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Puts the scenarios' data into S3 once per harness run. */
final class Seeder {

    private Seeder() {
    }

    /** A JSONL item file of {@code items} lines, ~50 bytes each; returns its size in bytes. */
    static long jsonl(S3Client s3, String bucket, String key, int items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(items * 56);
        for (int i = 0; i < items; i++) {
            out.writeBytes(String.format("{\"id\":%d,\"name\":\"item-%08d\",\"value\":%d}\n", i, i, i % 997)
                    .getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = out.toByteArray();
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/jsonl"), RequestBody.fromBytes(bytes));
        return bytes.length;
    }

    /**
     * {@code count} small objects written straight into S3Proxy's filesystem store ({@code bucketDir}) under the names
     * dmap's S3 server gives keys ({@link KeyCodec}), with the
     * extended attributes S3Proxy itself writes on a PUT (content MD5, type, storage tier), so that listing them
     * through S3Proxy is exactly as if they had been PUT. Seeding 100,000 objects by PUT takes many minutes on a
     * loaded 2-core machine; this takes seconds. Returns false (nothing written) when the file system has no user
     * extended attributes: then seed with {@link #objects}.
     */
    static boolean objectsOnDisk(Path bucketDir, String prefix, int count) throws IOException {
        Files.createDirectories(bucketDir);
        Path probe = bucketDir.resolve(".xattr-probe");
        Files.write(probe, new byte[0]);
        boolean supported = Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class) != null;
        try {
            if (supported) {
                Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class)
                        .write("user.storage-tier", ByteBuffer.wrap("STANDARD".getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            supported = false;
        } finally {
            Files.delete(probe);
        }
        if (!supported) {
            return false;
        }
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (int i = 0; i < count; i++) {
                String key = String.format("%s%07d.json", prefix, i);
                byte[] body = ("{\"n\":" + key.length() + "}").getBytes(StandardCharsets.UTF_8);
                Path file = bucketDir.resolve(KeyCodec.encode(key)); // the name dmap's S3 server stores the key under
                Files.createDirectories(file.getParent());
                Files.write(file, body);
                UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
                view.write("user.content-md5", ByteBuffer.wrap(md5.digest(body)));
                view.write("user.content-type", ByteBuffer.wrap("application/json".getBytes(StandardCharsets.UTF_8)));
                view.write("user.storage-tier", ByteBuffer.wrap("STANDARD".getBytes(StandardCharsets.UTF_8)));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    /** {@code count} small objects under {@code prefix}, {@code threads} PUTs at a time. */
    static void objects(S3Client s3, String bucket, String prefix, int count, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> puts = new ArrayList<>();
            int chunk = Math.max(1, count / (threads * 4));
            for (int from = 0; from < count; from += chunk) {
                int start = from, end = Math.min(count, from + chunk);
                puts.add(pool.submit(() -> {
                    for (int i = start; i < end; i++) {
                        String key = String.format("%s%07d.json", prefix, i);
                        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("{\"n\":" + key.length() + "}"));
                    }
                    return null;
                }));
            }
            for (Future<?> f : puts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
