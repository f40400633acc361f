package io.dmap.asl.jsonata;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.StatesError;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static io.dmap.asl.jsonata.JsonataExpressionTest.eval;
import static io.dmap.asl.jsonata.JsonataExpressionTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Step Functions JSONata functions, with the examples of AWS's "Transforming data with JSONata" page. */
class StepFunctionsFunctionsTest {

    private static String cause(String expression) {
        StatesError e = assertThrows(StatesError.class, () -> eval(expression));
        assertEquals("States.QueryEvaluationError", e.error());
        return e.cause();
    }

    @Test
    void partition() throws Exception {
        assertEquals(json("[[1,2,3],[4,5,6],[7,8,9]]"), eval("$partition([1,2,3,4,5,6,7,8,9], 3)"));
        assertEquals(json("[[1,2],[3]]"), eval("$partition([1,2,3], 2)"));
        assertEquals(json("[[1,2],[3]]"), eval("$partition([1,2,3], 2.9)"), "the size is floored");
        assertEquals(json("[[1,2,3]]"), eval("$partition([1,2,3], 10)"));
        assertEquals(json("[]"), eval("$partition([], 2)"));
        assertTrue(cause("$partition([1,2], 0)").contains("the chunk size must be at least 1"));
        assertTrue(cause("$partition([1,2], 0.5)").contains("at least 1"));
        assertTrue(cause("$partition([1,2], 'x')").contains("T0410"));
    }

    @Test
    void range() throws Exception {
        assertEquals(json("[0,2,4,6,8,10]"), eval("$range(0, 10, 2)"));
        assertEquals(json("[1,3,5,7]"), eval("$range(1, 8, 2)"));
        assertEquals(json("[9,7,5,3,1]"), eval("$range(9, 1, -2)"));
        assertEquals(json("[0,1,2]"), eval("$range(0.5, 2.5, 1.5)"), "start, end and step are floored");
        assertEquals(json("3"), eval("$range(3, 3, 1)"), "one value is that value (a JSONata sequence)");
        assertEquals(json("[]"), eval("$append([], $range(3, 1, 1))"), "a range pointing away is empty");
        assertEquals(json("[]"), eval("$append([], $range(1, 3, 0))"));
        assertTrue(cause("$range(3, 1, 1)").endsWith("returned nothing (undefined)."));
        assertEquals(StepFunctionsFunctions.MAX_RANGE, eval("$range(1, " + StepFunctionsFunctions.MAX_RANGE + ", 1)").size());
        assertTrue(cause("$range(0, 100000, 1)").contains("more than " + StepFunctionsFunctions.MAX_RANGE));
        assertTrue(cause("$range(1, 3)").contains("T0410"), "all three arguments are required");
    }

    @Test
    void hash() throws Exception {
        assertEquals(json("'2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae'"), eval("$hash('foo', 'SHA-256')"));
        assertEquals(json("'acbd18db4cc2f85cedef654fccc4a4d8'"), eval("$hash('foo', 'MD5')"));
        assertEquals(json("'0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33'"), eval("$hash('foo', 'SHA-1')"));
        assertEquals(96, eval("$hash('foo', 'SHA-384')").asText().length());
        assertEquals(128, eval("$hash('foo', 'SHA-512')").asText().length());
        assertTrue(cause("$hash('foo', 'SHA-3')").contains("the algorithm 'SHA-3' is not supported"));
        assertTrue(cause("$hash(1, 'MD5')").contains("T0410"));
    }

    @Test
    void random() throws Exception {
        JsonNode r = eval("$random()");
        assertTrue(r.isNumber() && r.doubleValue() >= 0 && r.doubleValue() < 1, r.toString());
        assertEquals(eval("$random(42)"), eval("$random(42)"), "the same seed gives the same number");
        assertEquals(eval("$random(42)"), eval("$random(42.7)"), "the seed is floored");
        assertNotEquals(eval("$random(42)"), eval("$random(43)"));
        double seeded = eval("$random(7)").doubleValue();
        assertTrue(seeded >= 0 && seeded < 1);
    }

    @Test
    void uuid() throws Exception {
        String id = eval("$uuid()").asText();
        assertTrue(Pattern.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", id), id);
        assertNotEquals(id, eval("$uuid()").asText());
    }

    @Test
    void parse() throws Exception {
        assertEquals(json("{'a':[1,2.5,null,true,'x']}"), eval("$parse('{\"a\":[1,2.5,null,true,\"x\"]}')"));
        assertEquals(json("[1,2]"), eval("$parse('[1,2]')"));
        assertTrue(eval("$parse('null')").isNull());
        assertEquals(json("3"), eval("$parse('3')"));
        assertEquals(json("2"), eval("$parse('{\"a\":{\"b\":2}}').a.b"));
        assertTrue(cause("$parse('{nope')").contains("$parse: the argument is not valid JSON"));
    }

    @Test
    void theRuntimeGuardMakesEvalUncallable() {
        // the compile-time scan rejects every visible reference; behind it, each evaluation binds $eval to a refusal
        com.dashjoin.jsonata.Jsonata raw = com.dashjoin.jsonata.Jsonata.jsonata("$eval('1 + 1')");
        com.dashjoin.jsonata.Jsonata.Frame frame = new com.dashjoin.jsonata.Jsonata.Frame(null);
        StepFunctionsFunctions.bindInto(frame, 0);
        RuntimeException e = assertThrows(RuntimeException.class, () -> raw.evaluate(null, frame));
        assertTrue(e.getMessage().contains("$eval is not supported"), e.getMessage());
    }
}
