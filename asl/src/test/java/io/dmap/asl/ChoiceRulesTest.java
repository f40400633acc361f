package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.dmap.asl.Machines.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChoiceRulesTest {

    private static final JsonNode CTX = json("{'Execution':{'Name':'e1'}}");

    private static boolean eval(String rule, String input) throws StatesError {
        return ChoiceRules.matches(json(rule), json(input), CTX);
    }

    /** The Choice state example of the States Language specification. */
    @Test
    void specExample() throws Exception {
        String machine = "{'StartAt':'ChoiceStateX','States':{'ChoiceStateX':{'Type':'Choice','Choices':["
                + "{'Not':{'Variable':'$.type','StringEquals':'Private'},'Next':'Public'},"
                + "{'And':[{'Variable':'$.value','IsPresent':true},{'Variable':'$.value','IsNumeric':true},"
                + "{'Variable':'$.value','NumericGreaterThanEquals':20},{'Variable':'$.value','NumericLessThan':30}],"
                + "'Next':'ValueInTwenties'}],'Default':'DefaultState'},"
                + "'Public':{'Type':'Pass','Result':'Public','End':true},"
                + "'ValueInTwenties':{'Type':'Pass','Result':'ValueInTwenties','End':true},"
                + "'DefaultState':{'Type':'Fail','Error':'DefaultStateError','Cause':'No Matches!'}}}";
        Machines m = new Machines();
        assertEquals(json("'Public'"), m.run(machine, "{'type':'Public','value':22}").output());
        assertEquals(json("'ValueInTwenties'"), m.run(machine, "{'type':'Private','value':22}").output());
        assertEquals("DefaultStateError", m.run(machine, "{'type':'Private','value':30}").error());
        assertEquals("DefaultStateError", m.run(machine, "{'type':'Private'}").error());
    }

    @Test
    void stringComparisons() throws Exception {
        assertTrue(eval("{'Variable':'$.s','StringEquals':'b'}", "{'s':'b'}"));
        assertTrue(eval("{'Variable':'$.s','StringLessThan':'c'}", "{'s':'b'}"));
        assertFalse(eval("{'Variable':'$.s','StringGreaterThan':'c'}", "{'s':'b'}"));
        assertTrue(eval("{'Variable':'$.s','StringLessThanEquals':'b'}", "{'s':'b'}"));
        assertTrue(eval("{'Variable':'$.s','StringGreaterThanEquals':'a'}", "{'s':'b'}"));
        assertTrue(eval("{'Variable':'$.s','StringEqualsPath':'$.t'}", "{'s':'b','t':'b'}"));
        assertFalse(eval("{'Variable':'$.s','StringEquals':'1'}", "{'s':1}"));
        assertTrue(eval("{'Variable':'$$.Execution.Name','StringEquals':'e1'}", "{}"));
    }

    @Test
    void stringMatchesWithWildcardsAndEscapes() throws Exception {
        assertTrue(eval("{'Variable':'$.s','StringMatches':'log-*.txt'}", "{'s':'log-2024.txt'}"));
        assertTrue(eval("{'Variable':'$.s','StringMatches':'*'}", "{'s':''}"));
        assertTrue(eval("{'Variable':'$.s','StringMatches':'a*b*c'}", "{'s':'abbbc'}"));
        assertFalse(eval("{'Variable':'$.s','StringMatches':'a*b*c'}", "{'s':'acb'}"));
        assertFalse(eval("{'Variable':'$.s','StringMatches':'log-*.txt'}", "{'s':'log-2024.csv'}"));
        assertTrue(ChoiceRules.matches(((ObjectNode) json("{'Variable':'$.s'}"))
                .put("StringMatches", "a\\*b"), json("{'s':'a*b'}"), CTX));
        assertFalse(ChoiceRules.matches(((ObjectNode) json("{'Variable':'$.s'}"))
                .put("StringMatches", "a\\*b"), json("{'s':'axxb'}"), CTX));
    }

    @Test
    void numericBooleanAndTimestampComparisons() throws Exception {
        assertTrue(eval("{'Variable':'$.n','NumericEquals':2}", "{'n':2.0}"));
        assertTrue(eval("{'Variable':'$.n','NumericLessThanPath':'$.m'}", "{'n':1,'m':1.5}"));
        assertTrue(eval("{'Variable':'$.n','NumericGreaterThanEquals':2}", "{'n':2}"));
        assertFalse(eval("{'Variable':'$.n','NumericLessThanEquals':2}", "{'n':'1'}"));
        assertTrue(eval("{'Variable':'$.b','BooleanEquals':false}", "{'b':false}"));
        assertTrue(eval("{'Variable':'$.b','BooleanEqualsPath':'$.c'}", "{'b':true,'c':true}"));
        assertTrue(eval("{'Variable':'$.t','TimestampEquals':'2001-01-01T12:00:00+01:00'}", "{'t':'2001-01-01T11:00:00Z'}"));
        assertTrue(eval("{'Variable':'$.t','TimestampLessThan':'2001-01-01T12:00:00Z'}", "{'t':'2001-01-01T11:00:00Z'}"));
        assertTrue(eval("{'Variable':'$.t','TimestampGreaterThanEqualsPath':'$.u'}",
                "{'t':'2001-01-01T11:00:00Z','u':'2001-01-01T11:00:00Z'}"));
        assertFalse(eval("{'Variable':'$.t','TimestampGreaterThan':'2001-01-01T12:00:00Z'}", "{'t':'not a time'}"));
    }

    @Test
    void typeTests() throws Exception {
        assertTrue(eval("{'Variable':'$.x','IsPresent':false}", "{}"));
        assertTrue(eval("{'Variable':'$.x','IsNull':true}", "{'x':null}"));
        assertTrue(eval("{'Variable':'$.x','IsNumeric':true}", "{'x':1.5}"));
        assertTrue(eval("{'Variable':'$.x','IsString':true}", "{'x':'s'}"));
        assertTrue(eval("{'Variable':'$.x','IsBoolean':false}", "{'x':'true'}"));
        assertTrue(eval("{'Variable':'$.x','IsTimestamp':true}", "{'x':'2016-03-14T01:59:00Z'}"));
        assertFalse(eval("{'Variable':'$.x','IsTimestamp':true}", "{'x':'2016-03-14'}"));
    }

    @Test
    void andOrNot() throws Exception {
        assertTrue(eval("{'Or':[{'Variable':'$.a','NumericEquals':1},{'Variable':'$.a','NumericEquals':2}]}", "{'a':2}"));
        assertFalse(eval("{'And':[{'Variable':'$.a','NumericEquals':1},{'Variable':'$.b','IsPresent':true}]}", "{'a':1}"));
        assertTrue(eval("{'Not':{'Variable':'$.a','StringEquals':'x'}}", "{'a':'y'}"));
    }

    @Test
    void aMissingVariableIsARuntimeError() {
        StatesError e = assertThrows(StatesError.class, () -> eval("{'Variable':'$.x','NumericEquals':1}", "{}"));
        assertEquals("States.Runtime", e.error());
    }
}
