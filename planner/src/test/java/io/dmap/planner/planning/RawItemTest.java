package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.map.MapRunSpec.ItemBatcherSpec;
import io.dmap.common.events.BatchMessage;
import io.dmap.common.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a verbatim item puts on the wire: the line's own bytes, exactly, wherever a message holds it. */
class RawItemTest {

    /** Lines a tree would write differently: accents and a 4-byte emoji, escapes, nesting, numbers, padding. */
    private static final List<String> LINES = List.of(
            "{\"name\": \"Zoë\", \"city\": \"Kraków\", \"mood\": \"😀\"}",
            "\"tab\\there \\\"quoted\\\" back\\\\slash \\u00e9 \\ud83d\\ude00 \\/\"",
            "[[1, [2, []]], {}, [{\"a\": [null, true, false]}]]",
            "1e2",
            "0.10",
            "-0.0",
            "123456789012345678901234567890",
            "  {\"padded\": \"  \"}\t");

    @Test
    void itemsAreSplicedIntoABatchsItemsArrayAsTheirBytesSeparatedByCommas() {
        List<Batch> batches = new ArrayList<>();
        ItemBatcher batcher = new ItemBatcher(new ItemBatcherSpec(null, 10_000, Json.parse("{\"k\": \"é\"}")),
                batches::add);
        LINES.forEach(line -> batcher.add(raw(line)));
        batcher.finish();

        String input = "{\"BatchInput\":{\"k\":\"é\"},\"Items\":[" + String.join(",", LINES) + "]}";
        assertEquals(1, batches.size());
        assertArrayEquals(utf8(input), Json.toBytes(batches.get(0).input()), "what a claim check stores");
        String message = wellFormedUtf8(Json.toBytes(message(batches.get(0))));
        assertTrue(message.contains("\"input\":" + input + ","), message);
        assertEquals(Json.parse(input), Json.fromBytes(utf8(message), BatchMessage.class).input(),
                "the worker reads the same items");
        assertEquals(input, Json.toString(batches.get(0).input()), "a char generator writes the same text");
    }

    @Test
    void anItemAloneIsTheWholeBatchInput() {
        List<Batch> batches = new ArrayList<>();
        ItemBatcher batcher = new ItemBatcher(null, batches::add);
        LINES.forEach(line -> batcher.add(raw(line)));

        for (int i = 0; i < LINES.size(); i++) {
            String line = LINES.get(i);
            assertArrayEquals(utf8(line), Json.toBytes(batches.get(i).input()));
            String message = wellFormedUtf8(Json.toBytes(message(batches.get(i))));
            assertTrue(message.contains("\"input\":" + line + ","), message);
            assertEquals(Json.parse(line), Json.fromBytes(utf8(message), BatchMessage.class).input());
        }
    }

    @Test
    void theItemKeepsACopyOfExactlyItsLineWhileTheReaderReusesItsBuffer() {
        String line = LINES.get(0);
        byte[] buffer = Arrays.copyOf(utf8(line), 200);
        Arrays.fill(buffer, utf8(line).length, buffer.length, (byte) ' ');

        JsonNode item = RawItem.ifOneValue(buffer, utf8(line).length);
        Arrays.fill(buffer, (byte) 'x');

        assertArrayEquals(utf8(line), Json.toBytes(item));
    }

    @Test
    void itsSizeIsItsUtf8Length() {
        assertEquals(8, RawItem.ifOneValue(utf8("\"é😀\""), 8).bytes()); // 1 + 2 + 4 + 1
        assertEquals(utf8(LINES.get(0)).length, raw(LINES.get(0)).bytes());
    }

    @Test
    void malformedUtf8InAStringIsWrittenAsAStringWouldHaveItAndTheSizeIsTheSources() {
        // an overlong '/', a lone surrogate: a streaming parse lets both through inside a string
        byte[] line = {'[', '"', (byte) 0xC0, (byte) 0xAF, '"', ',', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ']'};
        RawItem item = RawItem.ifOneValue(line, line.length);

        assertNotNull(item);
        assertArrayEquals(new String(line, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), Json.toBytes(item));
        assertTrue(wellFormedUtf8(Json.toBytes(item)).startsWith("[\"\uFFFD"), "replaced, as a String does");
        assertEquals(line.length, item.bytes());
    }

    @Test
    void whatIsNotOneJsonValueIsLeftToTheTreeParse() {
        for (String line : List.of("7 8", "{oops", "   ", "{\"a\": 1}}")) {
            assertNull(RawItem.ifOneValue(utf8(line), utf8(line).length), line);
        }
        byte[] truncated = {'"', (byte) 0xE2, (byte) 0x82, '"'};
        assertNull(RawItem.ifOneValue(truncated, truncated.length), "a truncated sequence fails the parse");
    }

    @Test
    void itemsOfTheSameTextAreEqual() {
        assertEquals(raw(LINES.get(0)), raw(LINES.get(0)));
        assertEquals(raw(LINES.get(0)).hashCode(), raw(LINES.get(0)).hashCode());
        assertNotEquals(raw(LINES.get(0)), raw(LINES.get(1)));
    }

    /**
     * Well-formedness decides whether the bytes go out as they are; it must agree with the String round trip they
     * replace: every sequence of up to two bytes, and up to four with the boundary values of continuation bytes.
     */
    @Test
    void wellFormedIsExactlyWhatAStringRoundTripLeavesUnchanged() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                check(new byte[] {(byte) a, (byte) b});
            }
        }
        int[] edges = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
        for (int a = 0; a < 256; a++) {
            for (int b : edges) {
                for (int c : edges) {
                    for (int d : edges) {
                        byte[] bytes = {(byte) a, (byte) b, (byte) c, (byte) d};
                        check(Arrays.copyOf(bytes, 1));
                        check(Arrays.copyOf(bytes, 3));
                        check(bytes);
                    }
                }
            }
        }
    }

    private static void check(byte[] bytes) {
        boolean roundTrips = Arrays.equals(bytes,
                new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        assertEquals(roundTrips, Utf8JsonText.wellFormed(bytes), () -> Arrays.toString(bytes));
    }

    private static RawItem raw(String line) {
        RawItem item = RawItem.ifOneValue(utf8(line), utf8(line).length);
        assertNotNull(item, line);
        return item;
    }

    private static BatchMessage message(Batch batch) {
        return BatchMessage.of("run", batch.index(), batch.firstItemIndex(), batch.itemCount(), batch.input(), null)
                .withoutProcessor();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The text of {@code bytes}, failing the test when they are not well-formed UTF-8. */
    private static String wellFormedUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("not well-formed UTF-8: " + Arrays.toString(bytes), e);
        }
    }
}
