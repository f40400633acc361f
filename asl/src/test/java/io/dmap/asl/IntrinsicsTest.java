package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static io.dmap.asl.Machines.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntrinsicsTest {

    private static final JsonNode INPUT = json("{'name':'Ann','n':3,'list':[1,2,2,3],'obj':{'a':1},'s':'{\\\"k\\\":[1]}'}");
    private static final JsonNode CTX = json("{'Execution':{'Name':'e1'}}");

    private static JsonNode eval(String expression) throws StatesError {
        return Intrinsics.evaluate(expression, INPUT, CTX);
    }

    @Test
    void format() throws Exception {
        assertEquals(json("'Hello Ann, you have 3 items in e1'"),
                eval("States.Format('Hello {}, you have {} items in {}', $.name, $.n, $$.Execution.Name)"));
        assertEquals("literal {} and \\ and it's",
                eval("States.Format('literal \\{\\} and \\\\ and it\\'s')").asText());
        assertThrows(StatesError.class, () -> eval("States.Format('{} {}', $.n)"));
    }

    @Test
    void jsonConversions() throws Exception {
        assertEquals(json("{'k':[1]}"), eval("States.StringToJson($.s)"));
        assertEquals(json("'{\\\"a\\\":1}'"), eval("States.JsonToString($.obj)"));
    }

    @Test
    void arrays() throws Exception {
        assertEquals(json("['a',1,{'a':1},true,null]"), eval("States.Array('a', 1, $.obj, true, null)"));
        assertEquals(json("4"), eval("States.ArrayLength($.list)"));
        assertEquals(json("[[1,2],[2,3]]"), eval("States.ArrayPartition($.list, 2)"));
        assertEquals(json("true"), eval("States.ArrayContains($.list, 3)"));
        assertEquals(json("[1,3,5]"), eval("States.ArrayRange(1, 5, 2)"));
        assertEquals(json("2"), eval("States.ArrayGetItem($.list, 1)"));
        assertEquals(json("[1,2,3]"), eval("States.ArrayUnique($.list)"));
        assertEquals(json("3"), eval("States.ArrayLength(States.Array(1, 2, States.Array()))"));
    }

    @Test
    void mathStringsHashesAndIds() throws Exception {
        assertEquals(json("5"), eval("States.MathAdd($.n, 2)"));
        assertEquals(json("-1"), eval("States.MathAdd(1, -2)"));
        assertEquals(json("'2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae'"), eval("States.Hash('foo', 'SHA-256')"));
        assertEquals(json("'acbd18db4cc2f85cedef654fccc4a4d8'"), eval("States.Hash('foo', 'MD5')"));
        assertEquals(json("'QW5u'"), eval("States.Base64Encode($.name)"));
        assertEquals(json("'Ann'"), eval("States.Base64Decode('QW5u')"));
        assertEquals(json("['a','b','c']"), eval("States.StringSplit('a,b;c', ',;')"));
        assertEquals(json("{'a':2,'b':1}"), eval("States.JsonMerge($.obj, States.StringToJson('{\"a\":2,\"b\":1}'), false)"));
        assertTrue(eval("States.UUID()").asText().matches("[0-9a-f-]{36}"));
        int r = eval("States.MathRandom(1, 3)").asInt();
        assertTrue(r >= 1 && r < 3);
    }

    @Test
    void errorsAreStatesRuntime() {
        for (String bad : new String[]{"States.MathAdd(1)", "States.Hash('x', 'CRC')", "States.Array(", "States.ArrayLength($.n)",
                "States.Unknown()", "States.Format($.missing)", "States.StringToJson('{')"}) {
            StatesError e = assertThrows(StatesError.class, () -> eval(bad), bad);
            assertEquals("States.Runtime", e.error(), bad);
        }
    }
}
