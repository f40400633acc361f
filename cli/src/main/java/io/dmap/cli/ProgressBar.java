package io.dmap.cli;

import io.dmap.common.events.RunStatus;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;

/** One redrawn terminal line: bar, item counts, rate and ETA, from successive DescribeMapRun answers. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    void update(JsonNode run) {
        JsonNode c = run.path("itemCounts");
        long total = c.path("total").asLong();
        long done = c.path("succeeded").asLong() + c.path("failed").asLong() + c.path("timedOut").asLong()
                + c.path("aborted").asLong();
        double seconds = Math.max(0.001, (System.nanoTime() - startNanos) / 1e9);
        double rate = done / seconds;
        int filled = total == 0 ? 0 : (int) Math.min(WIDTH, WIDTH * done / total);
        String eta = total == 0 || rate < 1e-9 ? "?" : String.format("%.0fs", Math.max(0, (total - done) / rate));
        out.printf("\r[%s%s] %d/%d items  ok %d  failed %d  running %d  %.0f items/s  ETA %s   ",
                "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, c.path("succeeded").asLong(),
                c.path("failed").asLong() + c.path("timedOut").asLong(), c.path("running").asLong(), rate,
                RunStatus.RUNNING.name().equals(run.path("status").asText()) ? eta : "0s");
        out.flush();
    }

    void finish() {
        out.println();
    }
}
