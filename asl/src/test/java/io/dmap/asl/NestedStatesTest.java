package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import org.junit.jupiter.api.Test;

import static io.dmap.asl.Machines.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NestedStatesTest {

    private final Machines m = new Machines((resource, params) -> {
        if (params.path("fail").asBoolean()) {
            throw new StatesError("Item.Failed", "item " + params.path("v"));
        }
        return Json.NODES.numberNode(params.path("v").asInt() * 10);
    });

    @Test
    void parallelRunsEveryBranchOnTheSameInputAndCollectsOutputsInOrder() {
        ExecutionResult r = m.runState("{'Type':'Parallel','Branches':["
                + "{'StartAt':'A','States':{'A':{'Type':'Pass','InputPath':'$.a','End':true}}},"
                + "{'StartAt':'B','States':{'B':{'Type':'Pass','Result':'b','Next':'B2'},'B2':{'Type':'Succeed'}}}],"
                + "'ResultPath':'$.branches','End':true}", "{'a':1}");
        assertEquals(json("{'a':1,'branches':[1,'b']}"), r.output());
    }

    @Test
    void aFailingBranchFailsTheParallelStateWhichCanCatchIt() {
        String branches = "'Branches':[{'StartAt':'F','States':{'F':{'Type':'Fail','Error':'Branch.Bad','Cause':'no'}}}]";
        assertEquals(ExecutionResult.failed("Branch.Bad", "no"), m.runState("{'Type':'Parallel'," + branches + ",'End':true}", "{}"));
        ExecutionResult r = m.run("{'StartAt':'P','States':{'P':{'Type':'Parallel'," + branches
                + ",'Catch':[{'ErrorEquals':['Branch.Bad'],'ResultPath':'$.e','Next':'Done'}],'End':true},"
                + "'Done':{'Type':'Pass','OutputPath':'$.e.Error','End':true}}}", "{}");
        assertEquals(json("'Branch.Bad'"), r.output());
    }

    @Test
    void inlineMapRunsTheProcessorPerItemWithItemSelectorAndContext() {
        ExecutionResult r = m.runState("{'Type':'Map','ItemsPath':'$.items','ItemSelector':{'v.$':'$$.Map.Item.Value',"
                + "'i.$':'$$.Map.Item.Index','k.$':'$.k'},'ItemProcessor':{'ProcessorConfig':{'Mode':'INLINE'},'StartAt':'T',"
                + "'States':{'T':{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f',"
                + "'ResultPath':'$.out','End':true}}},'ResultPath':'$.results','End':true}", "{'items':[1,2],'k':'x'}");
        JsonNode expected = json("{'items':[1,2],'k':'x','results':[{'v':1,'i':0,'k':'x','out':10},{'v':2,'i':1,'k':'x','out':20}]}");
        assertEquals(expected, r.output());
    }

    @Test
    void inlineMapFailsWhenAnItemFailsAndRetriesTheWholeMap() {
        ExecutionResult r = m.runState("{'Type':'Map','Iterator':{'StartAt':'T','States':{'T':{'Type':'Task',"
                + "'Resource':'arn:aws:lambda:us-east-1:1:function:f','End':true}}},"
                + "'Retry':[{'ErrorEquals':['Item.Failed'],'MaxAttempts':1}],'End':true}", "[{'v':1},{'v':2,'fail':true}]");
        assertEquals(ExecutionResult.failed("Item.Failed", "item 2"), r);
        assertEquals(1, m.sleeps.size());
    }

    @Test
    void mapOverSomethingThatIsNeitherAnArrayNorAnObjectIsARuntimeError() {
        ExecutionResult r = m.runState("{'Type':'Map','ItemsPath':'$.x','ItemProcessor':{'StartAt':'A',"
                + "'States':{'A':{'Type':'Pass','End':true}}},'End':true}", "{'x':5}");
        assertEquals("States.Runtime", r.error());
    }
}
