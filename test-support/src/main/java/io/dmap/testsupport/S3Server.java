package io.dmap.testsupport;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * S3Proxy on 127.0.0.1 (free port) with AWS signature v4 and fixed credentials.
 *
 * <p>The store is the in-memory "transient" provider by default; {@code -Ddmap.test.s3.store=filesystem}
 * switches to a temp directory (useful when a test writes more data than fits in the heap).
 */
final class S3Server implements AutoCloseable {

    static final String ACCESS_KEY = "dmap";
    static final String SECRET_KEY = "dmap-secret-key";
    static final String STORE_PROPERTY = "dmap.test.s3.store";

    private final S3Proxy proxy;
    private final URI endpoint;
    private final String store;
    private final Path directory; // null for the in-memory store

    private S3Server(S3Proxy proxy, URI endpoint, String store, Path directory) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.store = store;
        this.directory = directory;
    }

    static S3Server start() throws Exception {
        String store = System.getProperty(STORE_PROPERTY, "transient");
        Properties props = new Properties();
        Path dir = null;
        if (store.equals("filesystem")) {
            dir = Files.createTempDirectory("dmap-s3-");
            props.setProperty("jclouds.filesystem.basedir", dir.toString());
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create(store, props))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
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
        return new S3Server(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()), store, dir);
    }

    URI endpoint() {
        return endpoint;
    }

    String store() {
        return store;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            System.err.println("dmap test infra: stopping S3Proxy failed: " + e);
        }
        if (directory != null) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("dmap test infra: cannot delete " + directory + ": " + e);
            }
        }
    }
}
