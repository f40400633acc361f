package io.dmap.asl;

import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StateMachineParserTest {

    /** One state named S around {@code state}, plus a terminal state Done, both reachable; single quotes stand for double quotes. */
    private static void validate(String state) {
        String machine = "{'StartAt':'Pick','States':{'Pick':{'Type':'Choice','Choices':[{'Variable':'$.x',"
                + "'IsPresent':true,'Next':'Done'}],'Default':'S'},'S':" + state + ",'Done':{'Type':'Succeed'}}}";
        StateMachineParser.validate(Json.parse(machine.replace('\'', '"')), "ItemProcessor");
    }

    private static void assertRejected(String state, String field, String reasonPart) {
        SpecException e = assertThrows(SpecException.class, () -> validate(state));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(true, e.reason().contains(reasonPart), e.getMessage());
    }

    @Test
    void acceptsTheFullVocabulary() {
        assertDoesNotThrow(() -> validate("{'Type':'Task','Resource':'arn:aws:states:::http:invoke',"
                + "'Parameters':{'ApiEndpoint':'http://x','Method':'GET','Headers':{'a.$':'$$.Execution.Name'}},"
                + "'ResultSelector':{'b.$':'States.JsonToString($.ResponseBody)'},'ResultPath':'$.r','OutputPath':'$',"
                + "'TimeoutSeconds':5,'Retry':[{'ErrorEquals':['States.Timeout'],'IntervalSeconds':1,'MaxAttempts':0,"
                + "'BackoffRate':1.5,'MaxDelaySeconds':10,'JitterStrategy':'FULL'},{'ErrorEquals':['States.ALL']}],"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'ResultPath':'$.err','Next':'Done'}],'Next':'Done'}"));
        assertDoesNotThrow(() -> validate("{'Type':'Task','Resource':'arn:aws:lambda:us-east-1:1:function:f','End':true}"));
        assertDoesNotThrow(() -> validate("{'Type':'Choice','Choices':[{'And':[{'Variable':'$.a','IsPresent':true},"
                + "{'Not':{'Variable':'$.a','StringMatches':'x*'}},{'Variable':'$.a','NumericLessThanEqualsPath':'$.b'}],"
                + "'Next':'Done'},{'Variable':'$.t','TimestampGreaterThan':'2020-01-01T00:00:00Z','Next':'Done'}],'Default':'Done'}"));
        assertDoesNotThrow(() -> validate("{'Type':'Wait','TimestampPath':'$.t','InputPath':null,'Next':'Done'}"));
    }

    @Test
    void acceptsParallelAndInlineMapAndChecksInsideThem() {
        assertDoesNotThrow(() -> validate("{'Type':'Parallel','Branches':[{'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}}],"
                + "'Catch':[{'ErrorEquals':['States.ALL'],'Next':'Done'}],'Next':'Done'}"));
        assertDoesNotThrow(() -> validate("{'Type':'Map','ItemsPath':'$.items','ItemSelector':{'v.$':'$$.Map.Item.Value'},"
                + "'ItemProcessor':{'ProcessorConfig':{'Mode':'INLINE'},'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}},'End':true}"));
        assertRejected("{'Type':'Parallel','Branches':[{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'Done'}}}],'End':true}",
                "ItemProcessor.States.S.Branches[0].States.A.Next", "names no state");
        // a Distributed Map inside a Parallel branch of the child: still refused by name
        assertRejected("{'Type':'Parallel','End':true,'Branches':[{'StartAt':'M','States':{'M':{'Type':'Map',"
                + "'ItemProcessor':{'ProcessorConfig':{'Mode':'DISTRIBUTED'},'StartAt':'A','States':{'A':{'Type':'Pass',"
                + "'End':true}}},'End':true}}}]}",
                "ItemProcessor.States.S.Branches[0].States.M.ItemProcessor.ProcessorConfig.Mode", "INLINE");
        assertRejected("{'Type':'Map','End':true}", "ItemProcessor.States.S.ItemProcessor", "is required");
        assertRejected("{'End':true}", "ItemProcessor.States.S.Type", "must be one of");
    }

    @Test
    void rejectsUnsupportedTaskResources() {
        assertRejected("{'Type':'Task','Resource':'arn:aws:states:::sqs:sendMessage','End':true}",
                "ItemProcessor.States.S.Resource", "is not supported by dmap");
        assertRejected("{'Type':'Task','Resource':'arn:aws:states:::aws-sdk:s3:deleteObject','End':true}",
                "ItemProcessor.States.S.Resource", "is not supported by dmap");
    }

    @Test
    void rejectsBadChoiceRules() {
        assertRejected("{'Type':'Choice','Choices':[{'Variable':'$.a','StringEqual':'x','Next':'Done'}]}",
                "ItemProcessor.States.S.Choices[0].StringEqual", "not a comparison operator");
        assertRejected("{'Type':'Choice','Choices':[{'Variable':'$.a','NumericEquals':'1','Next':'Done'}]}",
                "ItemProcessor.States.S.Choices[0].NumericEquals", "must be a number");
        assertRejected("{'Type':'Choice','Choices':[{'Variable':'a','IsNull':true,'Next':'Done'}]}",
                "ItemProcessor.States.S.Choices[0].Variable", "starting with '$'");
        assertRejected("{'Type':'Choice','Choices':[{'And':[],'Next':'Done'}]}",
                "ItemProcessor.States.S.Choices[0].And", "non-empty");
        assertRejected("{'Type':'Choice','Choices':[{'Not':{'Variable':'$.a','IsNull':true,'Next':'Done'},'Next':'Done'}]}",
                "ItemProcessor.States.S.Choices[0].Not.Next", "only top-level");
        assertRejected("{'Type':'Choice','Choices':[{'Variable':'$.a','IsNull':true,'IsString':true,'Next':'Done'}]}",
                "ItemProcessor.States.S.Choices[0]", "exactly one operator");
    }

    @Test
    void rejectsBadRetryAndCatch() {
        assertRejected("{'Type':'Task','Resource':'arn:aws:states:::http:invoke','Retry':[{'ErrorEquals':[]}],'End':true}",
                "ItemProcessor.States.S.Retry[0].ErrorEquals", "non-empty");
        assertRejected("{'Type':'Task','Resource':'arn:aws:states:::http:invoke','Retry':[{'ErrorEquals':['E'],'BackoffRate':0.5}],'End':true}",
                "ItemProcessor.States.S.Retry[0].BackoffRate", "at least 1.0");
        assertRejected("{'Type':'Task','Resource':'arn:aws:states:::http:invoke','Catch':[{'ErrorEquals':['States.ALL'],'Next':'Done'},"
                + "{'ErrorEquals':['E'],'Next':'Done'}],'End':true}", "ItemProcessor.States.S.Catch[0].ErrorEquals", "States.ALL");
        assertRejected("{'Type':'Task','Resource':'arn:aws:states:::http:invoke','Catch':[{'ErrorEquals':['E'],'Next':'Nowhere'}],'End':true}",
                "ItemProcessor.States.S.Catch[0].Next", "names no state");
        assertRejected("{'Type':'Task','Resource':'arn:aws:states:::http:invoke','TimeoutSeconds':0,'End':true}",
                "ItemProcessor.States.S.TimeoutSeconds", "from 1");
    }

    @Test
    void rejectsBadPathsAndTemplates() {
        assertRejected("{'Type':'Pass','InputPath':'a','End':true}", "ItemProcessor.States.S.InputPath", "starting with '$'");
        assertRejected("{'Type':'Pass','ResultPath':'$$.x','End':true}", "ItemProcessor.States.S.ResultPath", "reference path");
        assertRejected("{'Type':'Pass','Parameters':{'x':{'y.$':'plain'}},'End':true}",
                "ItemProcessor.States.S.Parameters.x.y.$", "'.$'");
        assertRejected("{'Type':'Wait','Seconds':-1,'Next':'Done'}", "ItemProcessor.States.S.Seconds", "from 0");
        assertRejected("{'Type':'Pass','QueryLanguage':'JSONPathX','End':true}", "ItemProcessor.States.S.QueryLanguage",
                "must be \"JSONPath\" or \"JSONata\"");
    }

    @Test
    void listsEveryProblemInOneException() {
        SpecException e = assertThrows(SpecException.class, () -> validate("{'Type':'Task','Resource':'arn:aws:states:::sqs:x',"
                + "'TimeoutSeconds':0,'Retry':[{'ErrorEquals':[]}],'Next':'Nowhere'}"));
        assertEquals(java.util.List.of("ItemProcessor.States.S.Next", "ItemProcessor.States.S.Resource",
                        "ItemProcessor.States.S.TimeoutSeconds", "ItemProcessor.States.S.Retry[0].ErrorEquals"),
                e.problems().stream().map(SpecException.Problem::field).toList(), e.getMessage());
    }

    @Test
    void rejectsUnknownAndUnimplementedFieldsByName() {
        assertRejected("{'Type':'Pass','Nxt':'Done','End':true}", "ItemProcessor.States.S.Nxt", "is not a field of a Pass state");
        assertRejected("{'Type':'Task','Resource':'arn:aws:states:::http:invoke','HeartbeatSeconds':5,'End':true}",
                "ItemProcessor.States.S.HeartbeatSeconds", "is not supported by dmap");
        assertRejected("{'Type':'Task','Resource':'arn:aws:states:::http:invoke','Credentials':{'RoleArn':'r'},'End':true}",
                "ItemProcessor.States.S.Credentials", "is not supported by dmap");
        assertRejected("{'Type':'Map','ToleratedFailureCount':1,'ItemProcessor':{'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}},'End':true}",
                "ItemProcessor.States.S.ToleratedFailureCount", "is not supported by dmap");
        assertRejected("{'Type':'Succeed','Next':'Done'}", "ItemProcessor.States.S.Next", "is not a field of a Succeed state");
        assertRejected("{'Type':'Task','Resource':'arn:aws:states:::http:invoke','Catch':[{'ErrorEquals':['E'],'Next':'Done','Output':1}],'End':true}",
                "ItemProcessor.States.S.Catch[0].Output", "is not a field of a catcher in a JSONPath state");
        assertRejected("{'Type':'Task','Resource':'arn:aws:states:::http:invoke','Retry':[{'ErrorEquals':['E'],'Max':1}],'End':true}",
                "ItemProcessor.States.S.Retry[0].Max", "is not a field of a retrier");
    }

    @Test
    void theFieldsOfOneQueryLanguageAreRejectedInTheOther() {
        assertRejected("{'Type':'Pass','QueryLanguage':'JSONata','InputPath':'$.a','End':true}",
                "ItemProcessor.States.S.InputPath", "JSONPath field");
        assertRejected("{'Type':'Task','QueryLanguage':'JSONata','Resource':'arn:aws:states:::http:invoke','Parameters':{},'End':true}",
                "ItemProcessor.States.S.Parameters", "use Arguments");
        assertRejected("{'Type':'Pass','Output':{},'End':true}", "ItemProcessor.States.S.Output", "JSONata field");
        SpecException mixed = assertThrows(SpecException.class, () -> StateMachineParser.validate(Json.parse(
                "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\","
                        + "\"QueryLanguage\":\"JSONPath\",\"End\":true}}}"), "ItemProcessor"));
        assertEquals("ItemProcessor.States.A.QueryLanguage", mixed.field());
        assertEquals("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", mixed.reason());
        assertRejected("{'Type':'Map','Items':[1],'ItemProcessor':{'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}},'End':true}",
                "ItemProcessor.States.S.Items", "JSONata field");
    }

    @Test
    void checksVariableNamesAndScopes() {
        assertRejected("{'Type':'Pass','Assign':{'a.b':1},'End':true}", "ItemProcessor.States.S.Assign.a.b", "partial assignment");
        assertRejected("{'Type':'Pass','Assign':{'1x':1},'End':true}", "ItemProcessor.States.S.Assign.1x", "Unicode identifier");
        assertRejected("{'Type':'Pass','Assign':{'" + "v".repeat(81) + "':1},'End':true}",
                "ItemProcessor.States.S.Assign." + "v".repeat(81), "at most 80");
        assertDoesNotThrow(() -> validate("{'Type':'Pass','Assign':{'größe':1,'x.$':'$.a','y.$':'States.Array($x, $.a)'},'End':true}"));
        assertRejected("{'Type':'Parallel','Assign':{'x':1},'Branches':[{'StartAt':'A','States':{'A':{'Type':'Pass',"
                + "'Assign':{'x':2},'End':true}}}],'End':true}", "ItemProcessor.States.S.Branches[0].States.A.Assign.x", "no shadowing");
        assertRejected("{'Type':'Wait','Seconds':1,'Assign':{'ok':1,'bad.$':'nope'},'End':true}",
                "ItemProcessor.States.S.Assign.bad.$", "'.$'");
    }

    @Test
    void aVariableReadMustBeAssignedInTheScopeOrAnEnclosingOne() {
        assertRejected("{'Type':'Pass','Parameters':{'a.$':'$fromParent'},'End':true}", "ItemProcessor.States.S",
                "reads the variable 'fromParent', which no state of this scope or an enclosing one assigns (the children"
                        + " of a Distributed Map cannot read the variables of the state machine around it)");
        assertRejected("{'Type':'Choice','Choices':[{'Variable':'$nope.x','IsPresent':true,'Next':'Done'}]}",
                "ItemProcessor.States.S", "reads the variable 'nope'");
        assertDoesNotThrow(() -> validate("{'Type':'Parallel','Assign':{'outer':1},'Branches':[{'StartAt':'A','States':{"
                + "'A':{'Type':'Pass','Parameters':{'o.$':'$outer'},'End':true}}}],'End':true}"));
    }

    @Test
    void anItemProcessorInheritsTheMapStatesQueryLanguage() {
        com.fasterxml.jackson.databind.JsonNode processor = Json.parse(
                "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Output\":\"{% 1 %}\",\"End\":true}}}");
        assertThrows(SpecException.class, () -> StateMachineParser.validate(processor, "ItemProcessor"));
        com.fasterxml.jackson.databind.JsonNode inherited = StateMachineParser.inheritLanguage(processor, QueryLanguage.JSONATA);
        assertDoesNotThrow(() -> StateMachineParser.validate(inherited, "ItemProcessor"));
        assertEquals(QueryLanguage.JSONATA, StateMachine.compile(inherited, "ItemProcessor").language());
        assertEquals(processor, StateMachineParser.inheritLanguage(processor, QueryLanguage.JSONPATH));
    }

    @Test
    void rejectsUnreachableStates() {
        SpecException e = assertThrows(SpecException.class, () -> StateMachineParser.validate(Json.parse(
                "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"},\"B\":{\"Type\":\"Succeed\"}}}"), "ItemProcessor"));
        assertEquals("ItemProcessor.States.B", e.field());
        assertEquals("is not reachable from StartAt", e.reason());
    }
}
