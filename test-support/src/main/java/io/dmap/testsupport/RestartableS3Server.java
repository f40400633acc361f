package io.dmap.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A private S3 server (dmap's, on a folder, so objects survive) that a test may stop and start again on the same
 * port, to play an S3 server restarting under a client. The shared one of {@link DmapInfra} is never stopped.
 */
public final class RestartableS3Server implements AutoCloseable {

    public static final String ACCESS_KEY = S3Server.ACCESS_KEY;
    public static final String SECRET_KEY = S3Server.SECRET_KEY;

    private final Path folder;
    private URI endpoint;
    private io.dmap.s3server.S3Server server;

    public RestartableS3Server(Path folder) throws Exception {
        this.folder = folder;
        this.server = io.dmap.s3server.S3Server.start("filesystem", folder, URI.create("http://127.0.0.1:0"),
                ACCESS_KEY, SECRET_KEY);
        this.endpoint = server.endpoint();
    }

    public synchronized URI endpoint() {
        return endpoint;
    }

    /** Stops answering: connections to the port are refused until {@link #start()}. */
    public synchronized void stop() throws Exception {
        if (server != null) {
            try {
                server.close();
            } catch (java.util.concurrent.TimeoutException e) {
                // Jetty's graceful stop gave up waiting for the client's keep-alive connections: it is stopped anyway
            }
            server = null;
        }
    }

    /** Starts again on the same port, with the same objects. */
    public synchronized void start() throws Exception {
        if (server == null) {
            server = io.dmap.s3server.S3Server.start("filesystem", folder, endpoint, ACCESS_KEY, SECRET_KEY);
        }
    }

    /** Stops now and starts again after {@code down}, from another thread; the future ends once it is back. */
    public CompletableFuture<Void> restartAfter(Duration down) throws Exception {
        stop();
        return CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(down.toMillis());
                start();
            } catch (Exception e) {
                throw new IllegalStateException("the S3 server did not start again", e);
            }
        });
    }

    public synchronized boolean running() {
        return server != null;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
