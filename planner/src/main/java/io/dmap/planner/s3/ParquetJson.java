package io.dmap.planner.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.ListLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.MapKeyValueTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.MapLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

/**
 * One Parquet row as a JSON object, column name → value. AWS does not document its typing, so dmap's is:
 * <ul>
 * <li>BOOLEAN → boolean; INT32, INT64 (signed or unsigned) → integer; FLOAT, DOUBLE → number, NaN and the
 * infinities as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} (JSON has no such numbers);</li>
 * <li>DECIMAL → number, exactly the decimal's value (no binary floating point in between);</li>
 * <li>DATE → {@code "2025-09-18"}; TIME → {@code "13:45:30.123"}; TIMESTAMP adjusted to UTC →
 * {@code "2025-09-18T13:45:30.123Z"}, a local TIMESTAMP → the same without {@code Z}; the legacy INT96 timestamp
 * → UTC as well (fractional digits as Java's ISO-8601 printing gives them: none, 3, 6 or 9);</li>
 * <li>STRING, ENUM → string; JSON → the JSON value it holds (its text when it is not valid JSON); UUID →
 * {@code "xxxxxxxx-xxxx-..."}; other BINARY / FIXED_LEN_BYTE_ARRAY → base64 string;</li>
 * <li>LIST (and a bare repeated field) → array; MAP → object (keys as text); other groups (structs) → object;
 * a null (absent optional value) → {@code null}.</li>
 * </ul>
 */
final class ParquetJson {

    private static final long JULIAN_EPOCH_DAY = 2_440_588; // Julian day number of 1970-01-01

    private ParquetJson() {
    }

    static ObjectNode row(Group group) {
        return struct(group, group.getType());
    }

    private static ObjectNode struct(Group group, GroupType type) {
        ObjectNode object = Json.NODES.objectNode();
        for (int f = 0; f < type.getFieldCount(); f++) {
            Type field = type.getType(f);
            int n = group.getFieldRepetitionCount(f);
            if (field.isRepetition(Type.Repetition.REPEATED)) {
                ArrayNode values = object.putArray(field.getName());
                for (int i = 0; i < n; i++) {
                    values.add(value(group, field, f, i));
                }
            } else {
                object.set(field.getName(), n == 0 ? Json.NODES.nullNode() : value(group, field, f, 0));
            }
        }
        return object;
    }

    private static JsonNode value(Group group, Type field, int f, int i) {
        if (field.isPrimitive()) {
            return primitive(group, field.asPrimitiveType(), f, i);
        }
        Group inner = group.getGroup(f, i);
        GroupType type = field.asGroupType();
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        if (logical instanceof ListLogicalTypeAnnotation && type.getFieldCount() == 1) {
            return list(inner, type);
        }
        if ((logical instanceof MapLogicalTypeAnnotation || logical instanceof MapKeyValueTypeAnnotation)
                && type.getFieldCount() == 1 && !type.getType(0).isPrimitive()) {
            return map(inner, type);
        }
        return struct(inner, type);
    }

    /**
     * A LIST: its one repeated field is either a group holding the element (the standard three levels) or, in
     * files of older writers, the element itself (Parquet's backward-compatibility rules).
     */
    private static ArrayNode list(Group list, GroupType type) {
        ArrayNode array = Json.NODES.arrayNode();
        Type repeated = type.getType(0);
        boolean wrapped = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
                && !repeated.getName().equals("array") && !repeated.getName().equals(type.getName() + "_tuple");
        int n = list.getFieldRepetitionCount(0);
        for (int i = 0; i < n; i++) {
            if (wrapped) {
                Group holder = list.getGroup(0, i);
                Type element = repeated.asGroupType().getType(0);
                array.add(holder.getFieldRepetitionCount(0) == 0 ? Json.NODES.nullNode() : value(holder, element, 0, 0));
            } else {
                array.add(value(list, repeated, 0, i));
            }
        }
        return array;
    }

    private static ObjectNode map(Group map, GroupType type) {
        ObjectNode object = Json.NODES.objectNode();
        GroupType entry = type.getType(0).asGroupType();
        int n = map.getFieldRepetitionCount(0);
        for (int i = 0; i < n; i++) {
            Group kv = map.getGroup(0, i);
            JsonNode key = value(kv, entry.getType(0), 0, 0);
            JsonNode value = entry.getFieldCount() < 2 || kv.getFieldRepetitionCount(1) == 0
                    ? Json.NODES.nullNode() : value(kv, entry.getType(1), 1, 0);
            object.set(key.isTextual() ? key.asText() : key.toString(), value);
        }
        return object;
    }

    private static JsonNode primitive(Group group, PrimitiveType type, int f, int i) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        return switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> Json.NODES.booleanNode(group.getBoolean(f, i));
            case INT32 -> int32(group.getInteger(f, i), logical);
            case INT64 -> int64(group.getLong(f, i), logical);
            case INT96 -> Json.NODES.textNode(int96(group.getInt96(f, i)));
            case FLOAT -> floating(group.getFloat(f, i));
            case DOUBLE -> floating(group.getDouble(f, i));
            case BINARY, FIXED_LEN_BYTE_ARRAY -> binary(group.getBinary(f, i), logical);
        };
    }

    private static JsonNode int32(int v, LogicalTypeAnnotation logical) {
        if (logical instanceof DateLogicalTypeAnnotation) {
            return Json.NODES.textNode(LocalDate.ofEpochDay(v).toString());
        }
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
            return Json.NODES.numberNode(BigDecimal.valueOf(v, d.getScale()));
        }
        if (logical instanceof TimeLogicalTypeAnnotation) {
            return Json.NODES.textNode(LocalTime.ofNanoOfDay(v * 1_000_000L).toString());
        }
        if (logical instanceof IntLogicalTypeAnnotation in && !in.isSigned()) {
            return Json.NODES.numberNode(Integer.toUnsignedLong(v));
        }
        return Json.NODES.numberNode(v);
    }

    private static JsonNode int64(long v, LogicalTypeAnnotation logical) {
        if (logical instanceof TimestampLogicalTypeAnnotation t) {
            Instant instant = instant(v, t.getUnit());
            return Json.NODES.textNode(t.isAdjustedToUTC() ? instant.toString()
                    : instant.atOffset(ZoneOffset.UTC).toLocalDateTime().toString());
        }
        if (logical instanceof TimeLogicalTypeAnnotation t) {
            return Json.NODES.textNode(LocalTime.ofNanoOfDay(t.getUnit() == TimeUnit.MICROS ? v * 1000 : v).toString());
        }
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
            return Json.NODES.numberNode(BigDecimal.valueOf(v, d.getScale()));
        }
        if (logical instanceof IntLogicalTypeAnnotation in && !in.isSigned() && v < 0) {
            return Json.NODES.numberNode(new BigInteger(Long.toUnsignedString(v)));
        }
        return Json.NODES.numberNode(v);
    }

    private static Instant instant(long v, TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> Instant.ofEpochMilli(v);
            case MICROS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1000);
            case NANOS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
        };
    }

    /** INT96: 8 bytes of nanoseconds in the day, then 4 bytes of Julian day, little-endian (Impala / Hive / Spark). */
    private static String int96(Binary b) {
        ByteBuffer bytes = b.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanos = bytes.getLong();
        long day = bytes.getInt() - JULIAN_EPOCH_DAY;
        return Instant.ofEpochSecond(day * 86_400, nanos).toString();
    }

    private static JsonNode floating(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Json.NODES.textNode(Double.toString(v));
        }
        return Json.NODES.numberNode(v);
    }

    private static JsonNode floating(float v) {
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            return Json.NODES.textNode(Float.toString(v));
        }
        return Json.NODES.numberNode(v);
    }

    private static JsonNode binary(Binary b, LogicalTypeAnnotation logical) {
        if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation) {
            return Json.NODES.textNode(b.toStringUsingUTF8());
        }
        if (logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
            String text = b.toStringUsingUTF8();
            try {
                return Json.MAPPER.readTree(text);
            } catch (java.io.IOException e) {
                return Json.NODES.textNode(text);
            }
        }
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
            return Json.NODES.numberNode(new BigDecimal(new BigInteger(b.getBytes()), d.getScale()));
        }
        if (logical instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation && b.length() == 16) {
            ByteBuffer bytes = b.toByteBuffer();
            return Json.NODES.textNode(new UUID(bytes.getLong(), bytes.getLong()).toString());
        }
        return Json.NODES.textNode(Base64.getEncoder().encodeToString(b.getBytes()));
    }
}
