package io.dmap.asl.map;

import io.dmap.asl.StatesError;
import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** QueryLanguage JSONata on the Map state: its own fields as expressions (AWS-REFERENCE.md 6.3, 6.5). */
class MapJsonataTest {

    static final String PROCESSOR = """
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P",
                              "States": {"P": {"Type": "Pass", "Output": "{% $states.input %}", "End": true}}}""";
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private static MapRunSpec resolve(String json) throws StatesError {
        MapRunSpec spec = SpecParser.parse(json);
        return MapRunResolver.resolve(spec, MapContext.forRun("run-j", spec, AT));
    }

    private static List<String> problemFields(String json) {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse(json));
        return e.problems().stream().map(SpecException.Problem::field).toList();
    }

    @Test
    void everyJsonataCapableFieldIsEvaluatedAtRunStart() throws StatesError {
        MapRunSpec spec = resolve("""
                {"QueryLanguage": "JSONata",
                 "Input": {"src": {"bucket": "in", "key": "a.json"}, "n": 3},
                 "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                   "ReaderConfig": {"InputType": "JSON", "MaxItems": "{% $states.input.n * 2 %}"},
                   "Arguments": {"Bucket": "{% $states.input.src.bucket %}", "Key": "{% 'data/' & $states.input.src.key %}"}},
                 "ItemSelector": {"v": "{% $states.context.Map.Item.Value %}"},
                 "ItemBatcher": {"MaxItemsPerBatch": "{% $states.input.n %}", "MaxInputBytesPerBatch": 1000,
                                 "BatchInput": {"at": "{% $states.context.State.EnteredTime %}"}},
                 "MaxConcurrency": "{% $states.input.n + 1 %}",
                 "ToleratedFailureCount": "{% $states.input.n - 3 %}",
                 "ToleratedFailurePercentage": "{% 12.5 %}",
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                   "Arguments": {"Bucket": "{% $states.input.src.bucket & '-out' %}", "Prefix": "r"}},
                 @P}""".replace("@P", PROCESSOR));
        assertEquals("in", spec.itemReader().bucket());
        assertEquals("data/a.json", spec.itemReader().key());
        assertEquals(6L, spec.itemReader().readerConfig().maxItems());
        assertEquals(3, spec.itemBatcher().maxItemsPerBatch());
        assertEquals(1000, spec.itemBatcher().maxInputBytesPerBatch());
        assertEquals(Json.parse("{\"at\": \"2026-12-01T10:00:00Z\"}"), spec.itemBatcher().batchInput());
        assertEquals(4, spec.maxConcurrency());
        assertEquals(0, spec.toleratedFailureCount());
        assertEquals(12.5, spec.toleratedFailurePercentage());
        assertEquals("in-out", spec.resultWriter().bucket());
        assertTrue(spec.runTime().jsonata());
    }

    @Test
    void itemsIsAnExpressionOrTheInput() throws StatesError {
        String items = "{\"QueryLanguage\": \"JSONata\", \"Input\": {\"list\": [1, 2, 3]}, @I, " + PROCESSOR + "}";
        assertEquals(Json.parse("[2, 3]"), resolve(items.replace("@I", "\"Items\": \"{% $states.input.list[$ > 1] %}\""))
                .runTime().items());
        assertEquals(Json.parse("{\"list\": [1, 2, 3]}"), resolve(items.replace("@I", "\"Comment\": \"no Items\""))
                .runTime().items());
        StatesError e = assertThrows(StatesError.class, () -> resolve(items.replace("@I", "\"Items\": \"{% 42 %}\"")));
        assertEquals("States.QueryEvaluationError", e.error());
        assertTrue(e.cause().contains("must evaluate to a JSON array or object"), e.cause());
    }

    @Test
    void aBadValueIsAQueryEvaluationError() {
        StatesError e = assertThrows(StatesError.class, () -> resolve("""
                {"QueryLanguage": "JSONata", "Input": [1], "MaxConcurrency": "{% 'many' %}", @P}""".replace("@P", PROCESSOR)));
        assertEquals("States.QueryEvaluationError", e.error());
        assertEquals("The MaxConcurrency field evaluated to \"many\" which is not a valid integer: {% 'many' %}", e.cause());
        StatesError pct = assertThrows(StatesError.class, () -> resolve("""
                {"QueryLanguage": "JSONata", "Input": [1], "ToleratedFailurePercentage": "{% 200 %}", @P}""".replace("@P", PROCESSOR)));
        assertEquals("States.QueryEvaluationError", pct.error());
        assertEquals("ToleratedFailurePercentage must be between 0 and 100.", pct.cause());
    }

    @Test
    void jsonPathFieldsAreRejectedInJsonataAndTheReverse() {
        assertEquals(List.of("ItemsPath", "Parameters", "MaxConcurrencyPath", "ItemReader.ReaderConfig.MaxItemsPath",
                        "ItemReader.Parameters", "ItemReader.Arguments", "ItemBatcher.MaxItemsPerBatchPath"),
                problemFields("""
                {"QueryLanguage": "JSONata", "ItemsPath": "$.x", "Parameters": {}, "MaxConcurrencyPath": "$.m",
                 "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "ReaderConfig": {"MaxItemsPath": "$.n"},
                                "Parameters": {"Bucket": "b"}},
                 "ItemBatcher": {"MaxItemsPerBatchPath": "$.p"}, @P}""".replace("@P", PROCESSOR)));
        assertEquals(List.of("ItemReader.Arguments", "ItemReader.Parameters"), problemFields("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Arguments": {"Bucket": "b"}}, @P}"""
                .replace("@P", PROCESSOR.replace("\"Output\": \"{% $states.input %}\", ", ""))));
    }

    @Test
    void aMalformedExpressionIsNamedByItsField() {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse("""
                {"QueryLanguage": "JSONata", "Input": [1], "ItemSelector": {"a": {"b": "{% $states.input. %}"}},
                 "MaxConcurrency": "{% ( %}", @P}""".replace("@P", PROCESSOR)));
        assertEquals(List.of("ItemSelector.a.b", "MaxConcurrency"),
                e.problems().stream().map(SpecException.Problem::field).toList());
        assertTrue(e.problems().get(0).reason().contains("is invalid"), e.getMessage());
    }

    @Test
    void outputAndAssignOfTheMapStateAreRejectedWithTheReason() {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse("""
                {"QueryLanguage": "JSONata", "Input": [1], "Output": "{% $states.result %}", "Assign": {"x": 1}, @P}"""
                .replace("@P", PROCESSOR)));
        assertEquals(List.of("Output", "Assign"), e.problems().stream().map(SpecException.Problem::field).toList());
        assertTrue(e.reason().contains("in a parent state machine"), e.reason());
    }
}
