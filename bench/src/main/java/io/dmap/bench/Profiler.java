package io.dmap.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * JFR on the running services through {@code jcmd <pid> JFR.start/JFR.stop} around a scenario, then a summary of
 * the execution samples: the hottest top frames and the hottest dmap frames (first io.dmap frame of each stack).
 */
final class Profiler {

    private final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    private final Path dir;

    Profiler(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    void start(List<BenchCluster.Service> services, String scenario) {
        for (BenchCluster.Service s : services) {
            jcmd(s.pid(), "JFR.start", "name=bench-" + scenario, "settings=profile");
        }
    }

    /** Stops the recordings and returns the files, by service name. */
    Map<String, Path> stop(List<BenchCluster.Service> services, String scenario) {
        Map<String, Path> files = new HashMap<>();
        for (BenchCluster.Service s : services) {
            Path file = dir.resolve(scenario + "-" + s.name() + ".jfr").toAbsolutePath();
            if (jcmd(s.pid(), "JFR.stop", "name=bench-" + scenario, "filename=" + file) && Files.exists(file)) {
                files.put(s.name(), file);
            }
        }
        return files;
    }

    private boolean jcmd(long pid, String... args) {
        List<String> command = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("jcmd.log").toFile()).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Top frames of jdk.ExecutionSample, and the first io.dmap frame of each sampled stack. */
    static String summary(Path jfr, int top) throws IOException {
        Map<String, Integer> topFrames = new HashMap<>();
        Map<String, Integer> dmapFrames = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!"jdk.ExecutionSample".equals(e.getEventType().getName())) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                topFrames.merge(name(stack.getFrames().get(0)), 1, Integer::sum);
                String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                threads.merge(thread == null ? "?" : thread.replaceAll("[0-9]+", "N"), 1, Integer::sum);
                for (RecordedFrame f : stack.getFrames()) {
                    if (f.getMethod() != null && f.getMethod().getType().getName().startsWith("io.dmap")) {
                        dmapFrames.merge(name(f), 1, Integer::sum);
                        break;
                    }
                }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(samples).append(" execution samples\n");
        b.append("  blocked (ms, park/wait/socket read > 10 ms, idle waits left out): ").append(blocked(jfr, 5)).append('\n');
        b.append("  by thread:  ").append(top(threads, 5, samples)).append('\n');
        b.append("  top frames: ").append(top(topFrames, top, samples)).append('\n');
        b.append("  first dmap frame: ").append(top(dmapFrames, top, samples)).append('\n');
        return b.toString();
    }

    /**
     * Where the dmap threads and the Kafka Streams thread wait: total duration of ThreadPark, JavaMonitorWait and
     * SocketRead events by thread kind, first dmap frame and the call that blocked (the first frame outside
     * java.util.concurrent). Waiting for work (an empty queue, a timer) is left out.
     */
    static String blocked(Path jfr, int top) throws IOException {
        Map<String, Double> millis = new HashMap<>();
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (!type.equals("jdk.ThreadPark") && !type.equals("jdk.JavaMonitorWait") && !type.equals("jdk.SocketRead")) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || e.getThread() == null || e.getThread().getJavaName() == null) {
                    continue;
                }
                String thread = e.getThread().getJavaName();
                String dmap = null, call = null;
                for (RecordedFrame f : stack.getFrames()) {
                    if (f.getMethod() == null) {
                        continue;
                    }
                    String typeName = f.getMethod().getType().getName();
                    if (call == null && !typeName.startsWith("java.util.concurrent") && !typeName.startsWith("jdk.internal")
                            && !typeName.startsWith("java.lang.Object") && !typeName.startsWith("java.net.Socket")
                            && !typeName.startsWith("sun.nio")) {
                        call = name(f);
                    }
                    if (typeName.startsWith("io.dmap")) {
                        dmap = name(f);
                        break;
                    }
                }
                boolean streams = thread.contains("StreamThread");
                if ((dmap == null && !streams) || call == null || call.startsWith("ThreadPoolExecutor")
                        || call.startsWith("LinkedBlockingQueue") || call.startsWith("PartitionPlanner.run")
                        || call.startsWith("ScheduledThreadPoolExecutor")) {
                    continue;
                }
                String kind = thread.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "").replaceAll("[0-9]+", "N");
                millis.merge(kind + ": " + (dmap == null ? "" : dmap + " → ") + call, e.getDuration().toNanos() / 1e6, Double::sum);
            }
        }
        return millis.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(top)
                .map(en -> String.format("%s %,.0f", en.getKey(), en.getValue()))
                .collect(Collectors.joining("; "));
    }

    private static String name(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    private static String top(Map<String, Integer> counts, int n, int total) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(n)
                .map(e -> String.format("%s %.0f%%", e.getKey(), 100.0 * e.getValue() / Math.max(1, total)))
                .collect(Collectors.joining(", "));
    }

    static void print(PrintStream out, Map<String, Path> files, int top) {
        files.forEach((service, file) -> {
            try {
                out.print("    " + service + ": " + summary(file, top).replace("\n  ", "\n      "));
            } catch (IOException e) {
                out.println("    " + service + ": cannot read " + file + ": " + e);
            }
        });
    }
}
