package io.dmap.planner.console;

import io.dmap.common.events.MapRunStatus;
import io.dmap.common.events.RunStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A map run as the console's pages show it: the snapshot plus what is derived for display. */
public record RunView(MapRunStatus s, Instant now) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    public String id() {
        return s.mapRunId();
    }

    /** The label, else the Name, else "Map" (AWS's default label). */
    public String title() {
        if (s.label() != null && !s.label().isEmpty()) {
            return s.label();
        }
        return s.name() != null && !s.name().isEmpty() ? s.name() : "Map";
    }

    public String label() {
        return s.label() == null ? "" : s.label();
    }

    public String name() {
        return s.name() == null ? "" : s.name();
    }

    public String status() {
        return s.status() == null ? null : s.status().name();
    }

    public String statusClass() {
        return "status-" + s.status().name().toLowerCase();
    }

    public boolean terminal() {
        return s.terminal();
    }

    public String started() {
        return s.startDate() == null ? "" : TIME.format(s.startDate());
    }

    public String startIso() {
        return s.startDate() == null ? "" : s.startDate().toString();
    }

    public String duration() {
        if (s.startDate() == null) {
            return "";
        }
        Instant end = s.stopDate() != null ? s.stopDate() : now;
        return human(Duration.between(s.startDate(), end));
    }

    public MapRunStatus.Counts items() {
        return s.itemCounts() == null ? MapRunStatus.Counts.ZERO : s.itemCounts();
    }

    public MapRunStatus.Counts executions() {
        return s.executionCounts() == null ? MapRunStatus.Counts.ZERO : s.executionCounts();
    }

    /** Items that ended, whichever way: what the progress bar shows. */
    public long itemsDone() {
        MapRunStatus.Counts c = items();
        return c.succeeded() + c.failed() + c.timedOut() + c.aborted();
    }

    public long itemsFailed() {
        MapRunStatus.Counts c = items();
        return c.failed() + c.timedOut() + c.aborted();
    }

    public int percent() {
        long total = items().total();
        if (total == 0) {
            return s.status() == RunStatus.SUCCEEDED ? 100 : 0;
        }
        return (int) Math.min(100, itemsDone() * 100 / total);
    }

    public MapRunStatus snapshot() {
        return s;
    }

    static String human(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
