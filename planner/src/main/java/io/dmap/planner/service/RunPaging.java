package io.dmap.planner.service;

import io.dmap.common.events.MapRunStatus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * ListMapRuns paging: newest first by startDate (then by id), with an opaque token naming the last run of
 * the page, so that pages stay consistent while new runs arrive.
 */
final class RunPaging {

    static final Comparator<MapRunStatus> NEWEST_FIRST = Comparator
            .comparing((MapRunStatus s) -> s.startDate() == null ? Instant.MIN : s.startDate())
            .thenComparing(MapRunStatus::mapRunId)
            .reversed();

    private RunPaging() {
    }

    static MapRunPage page(Collection<MapRunStatus> runs, int maxResults, String nextToken) {
        Cursor after = nextToken == null || nextToken.isEmpty() ? null : Cursor.decode(nextToken);
        List<MapRunStatus> sorted = runs.stream()
                .filter(s -> after == null || after.isBefore(s))
                .sorted(NEWEST_FIRST)
                .limit(maxResults + 1L)
                .toList();
        if (sorted.size() <= maxResults) {
            return new MapRunPage(sorted, null);
        }
        List<MapRunStatus> page = sorted.subList(0, maxResults);
        return new MapRunPage(page, Cursor.of(page.get(maxResults - 1)).encode());
    }

    private record Cursor(Instant startDate, String mapRunId) {

        static Cursor of(MapRunStatus s) {
            return new Cursor(s.startDate() == null ? Instant.MIN : s.startDate(), s.mapRunId());
        }

        /** True when {@code s} comes after this cursor in newest-first order. */
        boolean isBefore(MapRunStatus s) {
            MapRunStatus self = new MapRunStatus(0, mapRunId, null, null, null, null, null, false, startDate, null,
                    0, 0, 0, null, null, null, null, null, null);
            return NEWEST_FIRST.compare(self, s) < 0;
        }

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((startDate + "|" + mapRunId).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int bar = text.indexOf('|');
                return new Cursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
            } catch (RuntimeException e) {
                throw new InvalidParameterException("nextToken", "is not a token this service returned");
            }
        }
    }
}
