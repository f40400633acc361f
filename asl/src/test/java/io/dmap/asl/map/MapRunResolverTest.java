package io.dmap.asl.map;

import io.dmap.asl.StatesError;
import io.dmap.common.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MapRunResolverTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:11:12.345Z");

    private static MapRunSpec resolve(String input, String fields) throws StatesError {
        MapRunSpec spec = SpecParser.parse("{\"Input\": %s, %s, %s}".formatted(input, fields, SpecParserProblemsTest.PROCESSOR));
        return MapRunResolver.resolve(spec, MapContext.forRun("run-7", spec, AT));
    }

    private static StatesError failure(String input, String fields) {
        return assertThrows(StatesError.class, () -> resolve(input, fields));
    }

    @Test
    void resolvesReaderParametersNumbersAndBatchInput() throws StatesError {
        MapRunSpec spec = resolve("""
                {"src": {"bucket": "in", "key": "rows.csv"}, "limits": {"max": 5, "conc": 3, "count": 2, "pct": 12.5, "per": 4, "bytes": 9000}}""",
                """
                "Name": "nightly",
                "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                  "ReaderConfig": {"InputType": "CSV", "MaxItemsPath": "$.limits.max"},
                  "Parameters": {"Bucket.$": "$.src.bucket", "Key.$": "States.Format('in/{}', $.src.key)", "VersionId": "v1"}},
                "MaxConcurrencyPath": "$.limits.conc", "ToleratedFailureCountPath": "$.limits.count",
                "ToleratedFailurePercentagePath": "$.limits.pct",
                "ItemBatcher": {"MaxItemsPerBatchPath": "$.limits.per", "MaxInputBytesPerBatchPath": "$.limits.bytes",
                  "BatchInput": {"At.$": "$$.State.EnteredTime", "Run.$": "$$.Execution.Name", "fixed": 1}},
                "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket.$": "$.src.bucket", "Prefix": "out"}}""");
        assertEquals("in", spec.itemReader().bucket());
        assertEquals("in/rows.csv", spec.itemReader().key());
        assertEquals("v1", spec.itemReader().versionId());
        assertEquals(5L, spec.itemReader().readerConfig().maxItems());
        assertEquals(3, spec.maxConcurrency());
        assertEquals(2, spec.toleratedFailureCount());
        assertEquals(12.5, spec.toleratedFailurePercentage());
        assertEquals(4, spec.itemBatcher().maxItemsPerBatch());
        assertEquals(9000, spec.itemBatcher().maxInputBytesPerBatch());
        assertEquals(Json.parse("{\"At\": \"2026-12-01T10:11:12.345Z\", \"Run\": \"nightly\", \"fixed\": 1}"),
                spec.itemBatcher().batchInput());
        assertEquals("in", spec.resultWriter().bucket());
        assertEquals("out", spec.resultWriter().prefix());
        assertTrue(spec.runTime().resolved());
    }

    @Test
    void maxItemsFromAPath() throws StatesError {
        String reader = """
                "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "ReaderConfig": {"MaxItemsPath": "$.max"},
                               "Parameters": {"Bucket": "in"}}""";
        assertNull(resolve("{\"max\": 0}", reader).itemReader().readerConfig().maxItems());
        assertEquals(100_000_000L, resolve("{\"max\": 500000000}", reader).itemReader().readerConfig().maxItems());
        StatesError negative = failure("{\"max\": -1}", reader);
        assertEquals("States.ItemReaderFailed", negative.error());
        assertEquals("field MaxItems must be positive", negative.cause());
        StatesError fraction = failure("{\"max\": 1.5}", reader);
        assertEquals("States.Runtime", fraction.error());
        assertEquals("The ItemReader.ReaderConfig.MaxItemsPath field refers to value \"1.5\" which is not a valid integer: $.max",
                fraction.cause());
    }

    @Test
    void badNumbersFailWithAwsMessages() {
        String items = "\"ItemsPath\": \"$.items\"";
        StatesError pct = failure("{\"items\": [1], \"p\": 101}", items + ", \"ToleratedFailurePercentagePath\": \"$.p\"");
        assertEquals("States.Runtime", pct.error());
        assertEquals("ToleratedFailurePercentage must be between 0 and 100.", pct.cause());
        StatesError count = failure("{\"items\": [1], \"c\": -2}", items + ", \"ToleratedFailureCountPath\": \"$.c\"");
        assertEquals("ToleratedFailureCount cannot be negative.", count.cause());
        StatesError notNumber = failure("{\"items\": [1], \"p\": \"lots\"}", items + ", \"ToleratedFailurePercentagePath\": \"$.p\"");
        assertEquals("The ToleratedFailurePercentagePath field refers to value \"lots\" which is not a valid number: $.p",
                notNumber.cause());
        StatesError conc = failure("{\"items\": [1], \"m\": -1}", items + ", \"MaxConcurrencyPath\": \"$.m\"");
        assertEquals("Expected non-negative integer for MaxConcurrency, got '-1' instead.", conc.cause());
        StatesError missing = failure("{\"items\": [1]}", items + ", \"MaxConcurrencyPath\": \"$.nowhere\"");
        assertEquals("States.Runtime", missing.error());
        assertTrue(missing.cause().contains("'$.nowhere'") && missing.cause().contains("MaxConcurrencyPath"), missing.cause());
        StatesError bucket = failure("{\"items\": [1], \"b\": 7}", items + """
                , "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket.$": "$.b"}}""");
        assertTrue(bucket.cause().contains("'Bucket' of ResultWriter.Parameters must be a non-empty string, was 7"), bucket.cause());
    }

    @Test
    void inputPathAndItemsPathGiveTheItems() throws StatesError {
        MapRunSpec spec = resolve("{\"outer\": {\"list\": {\"a\": 1, \"b\": 2}}}",
                "\"InputPath\": \"$.outer\", \"ItemsPath\": \"$.list\"");
        assertEquals(Json.parse("{\"a\": 1, \"b\": 2}"), spec.runTime().items());
        assertEquals(Json.parse("{\"list\": {\"a\": 1, \"b\": 2}}"), spec.input());
    }

    @Test
    void theContextObjectStandsInForTheParentExecution() {
        MapRunSpec spec = SpecParser.parse("{\"Input\": {\"x\": 1}, \"Label\": \"thumbs\", %s}"
                .formatted(SpecParserProblemsTest.PROCESSOR));
        assertEquals(Json.parse("""
                {"Execution": {"Id": "arn:dmap:states:local:000000000000:execution:dmap:run-7", "Input": {"x": 1},
                               "Name": "run-7", "StartTime": "2026-12-01T10:11:12.345Z", "RedriveCount": 0},
                 "State": {"EnteredTime": "2026-12-01T10:11:12.345Z", "Name": "thumbs", "RetryCount": 0},
                 "StateMachine": {"Id": "arn:dmap:states:local:000000000000:stateMachine:dmap", "Name": "dmap"}}"""),
                MapContext.forRun("run-7", spec, AT).contextObject());
    }
}
