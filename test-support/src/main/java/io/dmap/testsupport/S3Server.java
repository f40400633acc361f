package io.dmap.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * dmap's S3 server ({@link io.dmap.s3server.S3Server}: S3Proxy behind the key mapping that takes every S3 key, the
 * same server as ./dmap up's) on 127.0.0.1 (free port) with AWS signatures and fixed credentials.
 *
 * <p>The store is the in-memory "transient" one by default; {@code -Ddmap.test.s3.store=filesystem}
 * switches to a temp directory (useful when a test writes more data than fits in the heap).
 */
final class S3Server implements AutoCloseable {

    static final String ACCESS_KEY = "dmap";
    static final String SECRET_KEY = "dmap-secret-key";
    static final String STORE_PROPERTY = "dmap.test.s3.store";

    private final io.dmap.s3server.S3Server server;
    private final String store;
    private final Path directory; // null for the in-memory store

    private S3Server(io.dmap.s3server.S3Server server, String store, Path directory) {
        this.server = server;
        this.store = store;
        this.directory = directory;
    }

    static S3Server start() throws Exception {
        String store = System.getProperty(STORE_PROPERTY, "transient");
        Path dir = store.equals("filesystem") ? Files.createTempDirectory("dmap-s3-") : null;
        return new S3Server(io.dmap.s3server.S3Server.start(store, dir, URI.create("http://127.0.0.1:0"), ACCESS_KEY, SECRET_KEY),
                store, dir);
    }

    URI endpoint() {
        return server.endpoint();
    }

    String store() {
        return store;
    }

    @Override
    public void close() {
        try {
            server.close();
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
