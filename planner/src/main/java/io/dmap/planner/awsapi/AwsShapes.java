package io.dmap.planner.awsapi;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;

/** Values as the JSON 1.0 protocol writes them: timestamps are epoch seconds, JSON numbers with a fraction. */
final class AwsShapes {

    private AwsShapes() {
    }

    static BigDecimal epochSeconds(Instant at) {
        return BigDecimal.valueOf(at.toEpochMilli(), 3);
    }

    /** Puts {@code member} as epoch seconds; leaves it out when {@code at} is null (AWS omits absent members). */
    static ObjectNode putDate(ObjectNode node, String member, Instant at) {
        if (at != null) {
            node.put(member, epochSeconds(at));
        }
        return node;
    }

    /** Puts a string member; leaves it out when null. */
    static ObjectNode putString(ObjectNode node, String member, String value) {
        if (value != null) {
            node.put(member, value);
        }
        return node;
    }
}
