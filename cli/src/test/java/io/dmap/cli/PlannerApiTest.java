package io.dmap.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlannerApiTest {

    /** A replica that accepts connections but never answers (SIGSTOP, hung) is passed over, as is a closed port. */
    @Test
    void firstAnsweringSkipsHungAndDeadReplicas() throws Exception {
        HttpServer live = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        live.createContext("/q/health/live", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        live.start();
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (ServerSocket hung = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String liveUrl = "http://127.0.0.1:" + live.getAddress().getPort();
            List<String> urls = List.of("http://127.0.0.1:" + hung.getLocalPort(), "http://127.0.0.1:" + dead, liveUrl);
            assertEquals(URI.create(liveUrl), PlannerApi.firstAnswering(urls).base());
            assertEquals(URI.create(urls.get(0)), PlannerApi.firstAnswering(urls.subList(0, 2)).base());
        } finally {
            live.stop(0);
        }
    }
}
