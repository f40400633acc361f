package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static io.dmap.asl.Machines.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonPathTest {

    private static final JsonNode DOC = json("{'store':{'book':[{'title':'A','price':8,'tags':['x']},"
            + "{'title':'B','price':12},{'title':'C','price':5,'isbn':'1'}],'name with space':1},'n':[0,1,2,3,4]}");

    private static JsonNode read(String path) throws StatesError {
        return JsonPath.parse(path).read(DOC);
    }

    @Test
    void definitePaths() throws Exception {
        assertEquals(DOC, read("$"));
        assertEquals(json("'B'"), read("$.store.book[1].title"));
        assertEquals(json("'C'"), read("$.store.book[-1].title"));
        assertEquals(json("1"), read("$.store['name with space']"));
        assertEquals(json("'x'"), read("$['store'].book[0].tags[0]"));
        assertNull(read("$.store.book[7]"));
        assertNull(read("$.nope.deeper"));
    }

    @Test
    void indefinitePathsYieldArrays() throws Exception {
        assertEquals(json("['A','B','C']"), read("$.store.book[*].title"));
        assertEquals(json("[8,12,5]"), read("$..price"));
        assertEquals(json("[1,2]"), read("$.n[1:3]"));
        assertEquals(json("[3,4]"), read("$.n[-2:]"));
        assertEquals(json("[0,2,4]"), read("$.n[::2]"));
        assertEquals(json("[0,4]"), read("$.n[0,4]"));
        assertEquals(json("[]"), read("$.store.book[*].missing"));
    }

    @Test
    void filters() throws Exception {
        assertEquals(json("['A','C']"), read("$.store.book[?(@.price < 10)].title"));
        assertEquals(json("['C']"), read("$.store.book[?(@.isbn)].title"));
        assertEquals(json("['B']"), read("$.store.book[?(@.title == 'B')].title"));
        assertEquals(json("['A']"), read("$.store.book[?(@.price > 6 && @.tags[0] == 'x')].title"));
        assertEquals(json("['B','C']"), read("$.store.book[?(@.price > 10 || @.price < 6)].title"));
    }

    @Test
    void badPathsAreRuntimeErrors() {
        for (String bad : new String[]{"store", "$.", "$[", "$[abc]", "$.a[?(x)]"}) {
            StatesError e = assertThrows(StatesError.class, () -> read(bad), bad);
            assertEquals("States.Runtime", e.error());
        }
    }
}
