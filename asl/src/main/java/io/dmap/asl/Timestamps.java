package io.dmap.asl;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** RFC 3339 timestamps as the States Language uses them ({@code 2016-03-14T01:59:00Z}, offsets allowed). */
final class Timestamps {

    private Timestamps() {
    }

    /** The instant, or null when {@code text} is not an RFC 3339 timestamp with a time zone. */
    static Instant parse(String text) {
        if (text == null || text.length() < 20 || Character.toUpperCase(text.charAt(10)) != 'T') {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.replace('t', 'T').replace('z', 'Z'), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
