package io.dmap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The matching rules of {@link ConformanceIT}'s expected.json, so that a wrong expectation cannot pass. */
class ConformanceMatchingTest {

    static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    @Test
    void objectsMatchOnTheFieldsGivenValuesExactly() {
        assertTrue(ConformanceIT.isSubset(json("{'a':1}"), json("{'a':1,'b':2}")));
        assertFalse(ConformanceIT.isSubset(json("{'a':1}"), json("{'a':2,'b':2}")));
        assertFalse(ConformanceIT.isSubset(json("{'a':1}"), json("{'b':1}")));
        assertFalse(ConformanceIT.isSubset(json("{'a':{'x':'1'}}"), json("{'a':{'x':1}}")), "a string is not a number");
        assertTrue(ConformanceIT.isSubset(json("{'n':2}"), json("{'n':2.0}")), "numbers compare by value");
    }

    @Test
    void arraysMatchElementByElementAndInFull() {
        assertTrue(ConformanceIT.isSubset(json("[{'a':1},2]"), json("[{'a':1,'z':0},2]")));
        assertFalse(ConformanceIT.isSubset(json("[1,2]"), json("[1,2,3]")));
        assertFalse(ConformanceIT.isSubset(json("[1,2]"), json("[2,1]")));
    }

    @Test
    void presentMatchesAnyValueButNotAbsenceOrNull() {
        assertTrue(ConformanceIT.isSubset(json("{'a':'<present>'}"), json("{'a':[1]}")));
        assertFalse(ConformanceIT.isSubset(json("{'a':'<present>'}"), json("{'b':1}")));
        assertFalse(ConformanceIT.isSubset(json("{'a':'<present>'}"), json("{'a':null}")));
    }

    @Test
    void recordsMatchOneToOneInAnyOrder() {
        assertDoesNotThrow(() -> ConformanceIT.assertRecords(json("[{'n':2},{'n':1}]"), json("[{'n':1},{'n':2}]"), "t"));
        assertThrows(AssertionFailedError.class,
                () -> ConformanceIT.assertRecords(json("[{'n':1},{'n':1}]"), json("[{'n':1},{'n':2}]"), "t"),
                "one actual record cannot match two expected ones");
        assertThrows(AssertionFailedError.class,
                () -> ConformanceIT.assertRecords(json("[{'n':1}]"), json("[{'n':1},{'n':2}]"), "t"), "counts differ");
    }
}
