package io.dmap.asl.map;

import io.dmap.common.events.OutputType;
import io.dmap.common.events.Transformation;
import io.dmap.common.spec.SpecException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.asl.map.MapRunSpec.InputType;
import io.dmap.asl.map.MapRunSpec.ReaderResource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecParserTest {

    static final String VALID = """
            {
              "Type": "Map",
              "Label": "thumbs",
              "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "in", "Prefix": "photos/"}},
              "ItemBatcher": {"MaxItemsPerBatch": 7, "BatchInput": {"job": "x"}},
              "MaxConcurrency": 3,
              "ToleratedFailurePercentage": 12.5,
              "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "Check",
                "States": {
                  "Check": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "a", "Next": "Done"}], "Default": "Done"},
                  "Done": {"Type": "Succeed"}
                }
              },
              "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "results"},
                               "WriterConfig": {"OutputType": "JSONL", "Transformation": "COMPACT"}}
            }
            """;

    @Test
    void readsAValidDistributedMap() {
        MapRunSpec spec = SpecParser.parse(VALID);
        assertEquals("thumbs", spec.label());
        assertEquals(ReaderResource.LIST_OBJECTS_V2, spec.itemReader().resource());
        assertEquals("in", spec.itemReader().bucket());
        assertEquals("photos/", spec.itemReader().prefix());
        assertEquals(7, spec.itemBatcher().maxItemsPerBatch());
        assertNull(spec.itemBatcher().maxInputBytesPerBatch());
        assertEquals(3, spec.maxConcurrency());
        assertEquals(12.5, spec.toleratedFailurePercentage());
        assertNull(spec.toleratedFailureCount());
        assertEquals("EXPRESS", spec.executionType());
        assertEquals("out", spec.resultWriter().bucket());
        assertEquals(OutputType.JSONL, spec.resultWriter().outputType());
        assertEquals(Transformation.COMPACT, spec.resultWriter().transformation());
        assertEquals("Check", spec.itemProcessor().get("StartAt").asText());
    }

    @Test
    void readsACsvGetObjectReader() {
        ObjectNode root = (ObjectNode) Json.parse(VALID);
        root.set("ItemReader", Json.parse("""
                {"Resource": "arn:aws:states:::s3:getObject",
                 "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"], "CSVDelimiter": "PIPE", "MaxItems": 10},
                 "Parameters": {"Bucket": "in", "Key": "rows.csv"}}"""));
        MapRunSpec spec = SpecParser.parse(root);
        assertEquals(InputType.CSV, spec.itemReader().readerConfig().inputType());
        assertEquals('|', spec.itemReader().readerConfig().csvDelimiter().character);
        assertEquals(10L, spec.itemReader().readerConfig().maxItems());
        assertEquals(java.util.List.of("a", "b"), spec.itemReader().readerConfig().csvHeaders());
    }

    @Test
    void itemsFromInputWhenThereIsNoReader() {
        ObjectNode root = (ObjectNode) Json.parse(VALID);
        root.remove("ItemReader");
        root.put("ItemsPath", "$.data['the items']");
        root.set("Input", Json.parse("{\"data\": {\"the items\": [1, 2, 3]}}"));
        MapRunSpec spec = SpecParser.parse(root);
        assertEquals("$.data['the items']", spec.itemsPath());

        root.put("ItemsPath", "$.data.missing");
        assertRejected(root.toString(), "ItemsPath", "must select a JSON array");
    }

    @Test
    void rejectsWithFieldAndReason() {
        assertRejected("{not json", "$", "is not valid JSON");
        assertRejected("[1]", "$", "must be a JSON object");
        assertRejected(without("ItemProcessor"), "ItemProcessor", "is required");
        assertRejected(VALID.replace("\"StartAt\": \"Check\"", "\"StartAt\": \"Nope\""), "ItemProcessor.StartAt", "names no state: 'Nope'");
        assertRejected(VALID.replace("\"MaxConcurrency\": 3", "\"MaxConcurrency\": -1"), "MaxConcurrency", "between 0 and");
        assertRejected(VALID.replace("12.5", "100.5"), "ToleratedFailurePercentage", "between 0 and 100");
        assertRejected(VALID.replace("\"thumbs\"", "\"has space\""), "Label", "whitespace");
        assertRejected(VALID.replace("\"thumbs\"", "\"" + "x".repeat(41) + "\""), "Label", "1 to 40 characters");
        assertRejected(VALID.replace("\"Mode\": \"DISTRIBUTED\"", "\"Mode\": \"INLINE\""), "ItemProcessor.ProcessorConfig.Mode", "must be DISTRIBUTED");
        assertRejected(VALID.replace("\"Choices\": [{\"Variable\": \"$.x\", \"StringEquals\": \"a\", \"Next\": \"Done\"}],", ""),
                "ItemProcessor.States.Check.Choices", "non-empty Choices");
        assertRejected(VALID.replace("\"OutputType\": \"JSONL\"", "\"OutputType\": \"XML\""), "ResultWriter.WriterConfig.OutputType", "'XML'");
        assertRejected(VALID.replace("\"MaxItemsPerBatch\": 7", "\"MaxItemsPerBatch\": 0"), "ItemBatcher.MaxItemsPerBatch", "between 1");
    }

    @Test
    void rejectsAnUnknownInputType() {
        ObjectNode root = (ObjectNode) Json.parse(VALID);
        root.set("ItemReader", Json.parse("""
                {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "ORC"},
                 "Parameters": {"Bucket": "in", "Key": "rows"}}"""));
        assertRejected(root.toString(), "ItemReader.ReaderConfig.InputType",
                "'ORC' is not one of [CSV, JSON, JSONL, PARQUET, MANIFEST]");
    }

    private static String without(String field) {
        ObjectNode root = (ObjectNode) Json.parse(VALID);
        root.remove(field);
        return root.toString();
    }

    private static void assertRejected(String json, String field, String reasonPart) {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse(json));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.reason().contains(reasonPart), () -> "reason '" + e.reason() + "' lacks '" + reasonPart + "'");
    }
}
