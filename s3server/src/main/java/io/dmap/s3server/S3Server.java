package io.dmap.s3server;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * dmap's S3 server: S3Proxy (AWS signature v4, fixed credentials) on 127.0.0.1 over its "filesystem" store (a
 * folder; survives restarts) or its "transient" one (memory), always behind {@link EncodedKeyBlobStore} so that it
 * takes every key S3 takes. Used by the tests (test-support) and, as a child process ({@link #main}), by ./dmap up.
 */
public final class S3Server implements AutoCloseable {

    private final S3Proxy proxy;
    private final URI endpoint;

    private S3Server(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /**
     * Starts a server; {@code store} is "filesystem" (then {@code folder} holds the buckets) or "transient";
     * {@code endpoint} {@code http://127.0.0.1:0} takes a free port.
     */
    public static S3Server start(String store, Path folder, URI endpoint, String accessKey, String secretKey) throws Exception {
        Properties props = new Properties();
        if (store.equals("filesystem")) {
            Files.createDirectories(folder);
            props.setProperty("jclouds.filesystem.basedir", folder.toAbsolutePath().toString());
        } else if (!store.equals("transient")) {
            throw new IllegalArgumentException("store must be filesystem or transient, not " + store);
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new EncodedKeyBlobStore(BlobStores.create(store, props)))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .endpoint(endpoint)
                .ignoreUnknownHeaders(true)
                .stopTimeout(1_000)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
            }
            Thread.sleep(10);
        }
        return new S3Server(proxy, URI.create("http://" + endpoint.getHost() + ":" + proxy.getPort()));
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }

    /**
     * {@code java io.dmap.s3server.S3Server PROPERTIES}: the standalone server of ./dmap up. The file has
     * {@code s3proxy.endpoint}, {@code s3proxy.identity}, {@code s3proxy.credential}, {@code dmap.s3.store}
     * (filesystem or transient) and {@code dmap.s3.folder}. Runs until killed.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java io.dmap.s3server.S3Server PROPERTIES");
            System.exit(2);
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            p.load(in);
        } catch (IOException e) {
            System.err.println("cannot read " + args[0] + ": " + e.getMessage());
            System.exit(2);
        }
        S3Server server = start(p.getProperty("dmap.s3.store", "filesystem"), Path.of(p.getProperty("dmap.s3.folder", "s3")),
                URI.create(required(p, "s3proxy.endpoint")), required(p, "s3proxy.identity"), required(p, "s3proxy.credential"));
        System.out.println("dmap S3 server listening on " + server.endpoint());
        Thread.currentThread().join();
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v;
    }
}
