package io.dmap.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects rows, memory peaks and profiles; prints the table and writes bench/results/<date>.md and the README table. */
final class Report {

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Map<String, MemorySampler.Peak>> memory = new LinkedHashMap<>();
    private final StringBuilder notes = new StringBuilder();
    private final StringBuilder profiles = new StringBuilder();
    private final String loadAtStart = loadAverage();
    private final ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);

    void add(Row row) {
        rows.add(row);
    }

    void memory(String scenario, Map<String, MemorySampler.Peak> peaks) {
        memory.put(scenario, peaks);
    }

    void note(String line) {
        notes.append("- ").append(line).append('\n');
    }

    void profile(String text) {
        profiles.append(text);
    }

    String table() {
        StringBuilder b = new StringBuilder();
        b.append("| scenario | metric | dmap (median) | runs | baseline | baseline (median) | dmap ÷ baseline |\n");
        b.append("|---|---|---:|---|---|---:|---:|\n");
        for (Row r : rows) {
            b.append("| ").append(r.scenario()).append(" | ").append(r.metric()).append(" | ")
                    .append(fmt(r.dmapMedian())).append(' ').append(r.unit()).append(" | ")
                    .append(Stats.all(r.dmap(), "%.3g")).append(" | ")
                    .append(r.baselineName()).append(" | ")
                    .append(r.baseline().isEmpty() ? "" : fmt(r.baselineMedian()) + " " + r.unit()).append(" | ")
                    .append(r.ratioText()).append(r.note().isBlank() ? "" : " (" + r.note() + ")").append(" |\n");
        }
        return b.toString();
    }

    String memoryTable() {
        if (memory.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("| scenario | service | peak RSS (MiB) | peak heap used (MiB) |\n|---|---|---:|---:|\n");
        memory.forEach((scenario, peaks) -> peaks.forEach((service, p) -> b.append(String.format("| %s | %s | %d | %d |%n",
                scenario, service, p.rssBytes() >> 20, p.heapBytes() >> 20))));
        return b.toString();
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 1000 ? String.format("%,.0f", v) : String.format("%.3g", v);
    }

    void print(PrintStream out) {
        out.println();
        out.println(table());
        out.println(memoryTable());
        out.print(notes);
    }

    /** Writes the results file and the README table; returns the results file. */
    Path write(Path repo, BenchOptions o, boolean quick) throws IOException {
        String date = started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd"));
        String suffix = quick ? "-quick" : o.tag().isBlank() ? "" : "-" + o.tag();
        Path file = repo.resolve("bench/results/" + date + suffix + ".md");
        Files.createDirectories(file.getParent());
        String machine = machine(repo);
        String body = "# dmap benchmark, " + started.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16) + " UTC\n\n"
                + (o.note().isBlank() ? "" : o.note() + "\n\n")
                + "## Machine\n\n" + machine + "\n"
                + "## Settings\n\n" + settings(o) + "\n"
                + "## Results (medians; every run listed)\n\n" + table() + "\n"
                + "## Memory (peaks sampled every 500 ms while the scenario ran)\n\n" + memoryTable() + "\n"
                + "## Notes\n\n" + notes + "\n"
                + (profiles.isEmpty() ? "" : "## Profiles (JFR execution samples, whole scenario)\n\n```\n" + profiles + "```\n");
        Files.writeString(file, body, StandardCharsets.UTF_8);
        if (!quick && o.tag().isBlank()) {
            updateReadme(repo.resolve("bench/README.md"), file.getFileName().toString(), machine);
        }
        return file;
    }

    private void updateReadme(Path readme, String resultFile, String machine) throws IOException {
        String begin = "<!-- bench:latest:begin -->", end = "<!-- bench:latest:end -->";
        String block = begin + "\nLatest run: [results/" + resultFile + "](results/" + resultFile + ")\n\n" + machine + "\n"
                + table() + "\n" + memoryTable() + end;
        String text = Files.exists(readme) ? Files.readString(readme) : "# dmap benchmarks\n\n" + begin + "\n" + end + "\n";
        int a = text.indexOf(begin), b = text.indexOf(end);
        text = a >= 0 && b > a ? text.substring(0, a) + block + text.substring(b + end.length()) : text + "\n" + block + "\n";
        Files.writeString(readme, text, StandardCharsets.UTF_8);
    }

    private String settings(BenchOptions o) {
        return String.format("workers %d, map-batches partitions %d (scenarios 1-3); replay: %d workers, %d partitions; "
                        + "runs: scenario 1 %d (+1 warm-up), scenarios 2-3 %d, scenario 4 %d; sizes: %,d / %,d / %,d items, "
                        + "replay Wait %d s; JFR %s.%n",
                o.workers(), o.partitions(), o.replayWorkers(), o.replayPartitions(), o.runsSmall(), o.runsBig(),
                o.runsReplay(), o.throughputItems(), o.listingObjects(), o.replayItems(), o.replayWait(),
                o.profile() ? "on (profile settings, during scenarios 2-4 and an extra run of 6)" : "off");
    }

    private String machine(Path repo) {
        long memKb = 0;
        String cpu = "?";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave unknown
        }
        return String.format("- nproc %d (%s), memory %.1f GiB%n- JDK %s (%s)%n- OS %s %s%n- git %s%n"
                        + "- load average at start: %s; at end: %s%n",
                Runtime.getRuntime().availableProcessors(), cpu, memKb / 1024.0 / 1024.0,
                System.getProperty("java.vm.version"), System.getProperty("java.vm.name"),
                System.getProperty("os.name"), System.getProperty("os.version"),
                git(repo), loadAtStart, loadAverage());
    }

    private static String git(Path repo) {
        try {
            Process p = new ProcessBuilder("git", "-C", repo.toString(), "rev-parse", "HEAD").redirectErrorStream(true).start();
            String head = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            Process s = new ProcessBuilder("git", "-C", repo.toString(), "status", "--porcelain", "--untracked-files=no")
                    .redirectErrorStream(true).start();
            List<String> dirty = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.length() > 3).map(l -> l.substring(3)).toList(); // "XY path"
            return head + (dirty.isEmpty() ? "" : " (with uncommitted changes in: " + String.join(", ", dirty) + ")");
        } catch (IOException e) {
            return "?";
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
