package io.dmap.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples, every {@code interval}, each service's resident set (VmRSS in /proc/&lt;pid&gt;/status) and used heap
 * (sum of {@code jvm_memory_used_bytes{area="heap"}} on /q/metrics, every 4th sample), and keeps the peaks.
 */
final class MemorySampler implements AutoCloseable {

    record Peak(long rssBytes, long heapBytes) {
        Peak max(Peak o) {
            return new Peak(Math.max(rssBytes, o.rssBytes), Math.max(heapBytes, o.heapBytes));
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final List<BenchCluster.Service> services;
    private final Map<String, Peak> peaks = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    MemorySampler(List<BenchCluster.Service> services, Duration interval) {
        this.services = services;
        this.thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private int ticks;

    /** RSS every tick; heap every 4th (rendering /q/metrics costs the service CPU: thousands of Kafka client metrics). */
    private void sample() {
        boolean withHeap = ticks++ % 4 == 0;
        for (BenchCluster.Service s : services) {
            Peak p = new Peak(rss(s.pid()), withHeap ? heap(s.httpPort()) : 0);
            peaks.merge(s.name(), p, Peak::max);
        }
    }

    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone or /proc is not there: no sample
        }
        return 0;
    }

    static long heap(int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return (long) sum;
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Peaks so far, by service name, in start order. */
    Map<String, Peak> peaks() {
        Map<String, Peak> ordered = new LinkedHashMap<>();
        for (BenchCluster.Service s : services) {
            ordered.put(s.name(), peaks.getOrDefault(s.name(), new Peak(0, 0)));
        }
        return ordered;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
        sample();
    }
}
