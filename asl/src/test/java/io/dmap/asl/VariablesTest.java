package io.dmap.asl;

import org.junit.jupiter.api.Test;

import static io.dmap.asl.Machines.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VariablesTest {

    private final Machines m = new Machines((resource, p) -> json("{'price':7}"));

    @Test
    void assignThenReadInTheNextStateByPathAndByIntrinsic() {
        String machine = "{\"StartAt\":\"A\",\"States\":{"
                + "\"A\":{\"Type\":\"Pass\",\"Assign\":{\"who.$\":\"$.name\",\"n\":3},\"Next\":\"B\"},"
                + "\"B\":{\"Type\":\"Pass\",\"Parameters\":{\"greeting.$\":\"States.Format('hi {}', $who)\",\"n.$\":\"$n\"},\"End\":true}}}";
        ExecutionResult r = m.interpreter.run(io.dmap.common.json.Json.parse(machine), json("{'name':'ann'}"),
                ExecutionContext.of("x"));
        assertEquals(json("{'greeting':'hi ann','n':3}"), r.output(), r.cause());
    }

    @Test
    void allAssignExpressionsSeeTheValuesOnStateEntry() {
        ExecutionResult r = m.run("{'StartAt':'A','States':{"
                + "'A':{'Type':'Pass','Assign':{'x':1,'y':2},'Next':'B'},"
                + "'B':{'Type':'Pass','Assign':{'x.$':'$y','y.$':'$x'},'Next':'C'},"
                + "'C':{'Type':'Pass','Parameters':{'x.$':'$x','y.$':'$y'},'End':true}}}", "{}");
        assertEquals(json("{'x':2,'y':1}"), r.output(), r.cause());
    }

    @Test
    void aTaskAssignsFromItsResultAfterResultSelector() {
        ExecutionResult r = m.run("{'StartAt':'T','States':{"
                + "'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','ResultSelector':{'p.$':'$.price'},"
                + "'Assign':{'price.$':'$.p'},'ResultPath':null,'Next':'U'},"
                + "'U':{'Type':'Pass','Parameters':{'price.$':'$price','in.$':'$'},'End':true}}}", "{'a':1}");
        assertEquals(json("{'price':7,'in':{'a':1}}"), r.output(), r.cause());
    }

    @Test
    void aCatcherAssignsFromTheErrorOutput() {
        Machines failing = new Machines((resource, p) -> {
            throw new StatesError("Boom", "it broke");
        });
        ExecutionResult r = failing.run("{'StartAt':'T','States':{"
                + "'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f',"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'Assign':{'why.$':'$.Cause'},'ResultPath':null,'Next':'U'}],'End':true},"
                + "'U':{'Type':'Pass','Parameters':{'why.$':'$why'},'End':true}}}", "{}");
        assertEquals(json("{'why':'it broke'}"), r.output(), r.cause());
    }

    @Test
    void aChoiceRuleAssigns() {
        ExecutionResult r = m.run("{'StartAt':'C','States':{"
                + "'C':{'Type':'Choice','Assign':{'a':1},'Choices':[{'Variable':'$.n','NumericEquals':1,'Assign':{'b':2},'Next':'U'}]},"
                + "'U':{'Type':'Pass','Parameters':{'a.$':'$a','b.$':'$b'},'End':true}}}", "{'n':1}");
        assertEquals(json("{'a':1,'b':2}"), r.output(), r.cause());
    }

    @Test
    void innerScopesReadOuterVariablesAndTheirOwnVanish() {
        ExecutionResult r = m.run("{'StartAt':'A','States':{"
                + "'A':{'Type':'Pass','Assign':{'outer':'o'},'Next':'M'},"
                + "'M':{'Type':'Map','ItemsPath':'$.items','ItemProcessor':{'StartAt':'I','States':{"
                + "  'I':{'Type':'Pass','Assign':{'inner.$':'$'},'Next':'J'},"
                + "  'J':{'Type':'Pass','Parameters':{'o.$':'$outer','i.$':'$inner'},'End':true}}},'Next':'K'},"
                + "'K':{'Type':'Choice','Choices':[{'Variable':'$inner','IsPresent':true,'Next':'Bad'}],'Default':'Good'},"
                + "'Bad':{'Type':'Fail','Error':'InnerVisible'},'Good':{'Type':'Succeed'}}}", "{'items':[1,2]}");
        // the outer scope cannot read a variable of the Map's iterations: rejected when compiled
        assertEquals("States.Runtime", r.error(), r.cause());
        assertTrue(r.cause().startsWith("Invalid state machine: ItemProcessor.States.K: reads the variable 'inner'"), r.cause());
        ExecutionResult ok = m.run("{'StartAt':'A','States':{"
                + "'A':{'Type':'Pass','Assign':{'outer':'o'},'Next':'M'},"
                + "'M':{'Type':'Map','ItemsPath':'$.items','ItemProcessor':{'StartAt':'I','States':{"
                + "  'I':{'Type':'Pass','Assign':{'inner.$':'$'},'Next':'J'},"
                + "  'J':{'Type':'Pass','Parameters':{'o.$':'$outer','i.$':'$inner'},'End':true}}},'End':true}}}", "{'items':[1,2]}");
        assertEquals(json("[{'o':'o','i':1},{'o':'o','i':2}]"), ok.output(), ok.cause());
    }

    @Test
    void aVariableOverTheSizeLimitFailsTheExecution() {
        String big = "x".repeat(300 * 1024);
        ExecutionResult r = m.run("{'StartAt':'A','States':{'A':{'Type':'Pass','Assign':{'v.$':'$.s'},'End':true}}}",
                "{'s':'" + big + "'}");
        assertEquals("States.Runtime", r.error());
        assertTrue(r.cause().contains("256 KiB"), r.cause());
    }

    @Test
    void theExecutionTotalIsLimitedTo10MiB() {
        StringBuilder states = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            states.append("'A").append(i).append("':{'Type':'Pass','Assign':{'v").append(i).append(".$':'$.s'},")
                    .append(i < 49 ? "'Next':'A" + (i + 1) + "'" : "'End':true").append("},");
        }
        String machine = "{'StartAt':'A0','States':{" + states.substring(0, states.length() - 1) + "}}";
        ExecutionResult r = m.run(machine, "{'s':'" + "x".repeat(250 * 1024) + "'}");
        assertEquals("States.Runtime", r.error());
        assertTrue(r.cause().contains("10 MiB"), r.cause());
    }
}
