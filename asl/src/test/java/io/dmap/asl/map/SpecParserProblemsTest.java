package io.dmap.asl.map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One pass finds every problem; unknown fields are named; run-start fields are kept for the resolver. */
class SpecParserProblemsTest {

    static final String PROCESSOR = """
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""";

    @Test
    void listsEveryProblemWithItsFieldPath() {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse("""
                {"Type": "Map", "Label": "has space", "MaxConcurrency": -1, "Input": [1],
                 "ItemBatcher": {"MaxItemsPerBatch": 0, "Colour": "red"},
                 "ToleratedFailurePercentage": 101, "Frobnicate": true,
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
                 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": ""}}}"""));
        List<String> fields = e.problems().stream().map(SpecException.Problem::field).toList();
        assertEquals(List.of("Frobnicate", "Label", "ItemBatcher.Colour", "ItemBatcher.MaxItemsPerBatch", "MaxConcurrency",
                "ToleratedFailurePercentage", "ItemProcessor.ProcessorConfig.Mode", "ResultWriter.Parameters.Bucket"), fields);
        assertTrue(e.problems().get(0).reason().startsWith("is not a field of a Distributed Map state that dmap knows"));
    }

    @Test
    void aFieldAndItsPathFormAreExclusiveAndTheProblemNamesBoth() {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse("""
                {"Input": {"n": 1, "items": [1]}, "ItemsPath": "$.items", "MaxConcurrency": 2, "MaxConcurrencyPath": "$.n",
                 "ItemBatcher": {"MaxItemsPerBatch": 2, "MaxItemsPerBatchPath": "$.n"}, %s}""".formatted(PROCESSOR)));
        assertEquals("ItemBatcher.MaxItemsPerBatch", e.problems().get(0).field());
        assertTrue(e.problems().get(0).reason().contains("ItemBatcher.MaxItemsPerBatchPath"), e.getMessage());
        assertEquals("MaxConcurrency", e.problems().get(1).field());
        assertTrue(e.problems().get(1).reason().contains("MaxConcurrencyPath"), e.getMessage());
    }

    @Test
    void aWholeStateMachineIsAnsweredWithWhatToPost() {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse("""
                {"Comment": "mine", "StartAt": "Prepare", "States": {
                   "Prepare": {"Type": "Pass", "Next": "Fan"},
                   "Fan": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
                           "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}"""));
        assertEquals(1, e.problems().size());
        assertEquals("$", e.field());
        assertTrue(e.reason().contains("is a whole state machine"), e.reason());
        assertTrue(e.reason().contains("post the value of States.Fan"), e.reason());

        SpecException none = assertThrows(SpecException.class, () -> SpecParser.parse("""
                {"Comment": "no start", "States": {"P": {"Type": "Pass", "End": true}}}"""));
        assertTrue(none.reason().contains("has no Distributed Map state"), none.reason());
    }

    @Test
    void parentOnlyFieldsAreRejectedByNameWithTheReason() {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse("""
                {"Input": [1], "Next": "After", "ResultPath": "$.r", "Assign": {"x": 1}, %s}""".formatted(PROCESSOR)));
        assertEquals(List.of("Next", "ResultPath", "Assign"), e.problems().stream().map(SpecException.Problem::field).toList());
        assertTrue(e.reason().contains("in a parent state machine"), e.reason());
        // End: true is what a map run is: accepted
        SpecParser.parse("{\"Input\": [1], \"End\": true, \"Comment\": \"c\", %s}".formatted(PROCESSOR));
    }

    @Test
    void jsonataOnlyFieldsInAJsonPathState() {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse("""
                {"Input": [1], "Items": [1, 2], "Output": {"a": 1}, %s}""".formatted(PROCESSOR)));
        assertEquals(List.of("Items", "Output"), e.problems().stream().map(SpecException.Problem::field).toList());
        assertTrue(e.reason().contains("JSONata only"), e.reason());
    }

    @Test
    void maxItemsZeroMeansNoLimitAndItemsPathBesideAReaderIsAccepted() {
        MapRunSpec spec = SpecParser.parse("""
                {"ItemsPath": "$.ignored", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                 "ReaderConfig": {"InputType": "JSON", "MaxItems": 0}, "Parameters": {"Bucket": "b", "Key": "k.json"}}, %s}"""
                .formatted(PROCESSOR));
        assertNull(spec.itemReader().readerConfig().maxItems());
        assertEquals("$.ignored", spec.itemsPath());
    }

    @Test
    void pathsAndTemplatesAreCheckedAtPostAndKeptForRunStart() {
        MapRunSpec spec = SpecParser.parse("""
                {"Input": {"b": "in", "k": "x.json"},
                 "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                   "ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.max"},
                   "Parameters": {"Bucket.$": "$.b", "Key.$": "States.Format('data/{}', $.k)"}},
                 "ToleratedFailurePercentagePath": "$.pct",
                 "ItemBatcher": {"MaxItemsPerBatchPath": "$.per", "BatchInput": {"At.$": "$$.State.EnteredTime"}}, %s}"""
                .formatted(PROCESSOR));
        assertNull(spec.itemReader().bucket());
        assertEquals("$.max", spec.runTime().maxItems().text());
        assertEquals("ItemReader.ReaderConfig.MaxItemsPath", spec.runTime().maxItems().field());
        assertEquals("ToleratedFailurePercentagePath", spec.runTime().toleratedFailurePercentage().field());
        assertEquals("$.per", spec.runTime().maxItemsPerBatch().text());
        assertEquals(Json.parse("{\"At.$\": \"$$.State.EnteredTime\"}"), spec.runTime().batchInput());

        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse("""
                {"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                   "Parameters": {"Bucket.$": "$.b[", "Bucket": "x", "Prefix.$": "States.Nope(", "Delimiter": "/"}},
                 "MaxConcurrencyPath": "$.a[*]", "ItemSelector": {"v.$": 3}, %s}""".formatted(PROCESSOR)));
        List<String> fields = e.problems().stream().map(SpecException.Problem::field).toList();
        assertTrue(fields.containsAll(List.of("ItemReader.Parameters.Bucket.$", "ItemReader.Parameters.Prefix.$",
                "ItemReader.Parameters.Bucket", "ItemReader.Parameters.Delimiter", "ItemSelector.v.$",
                "MaxConcurrencyPath")), fields.toString());
    }

    @Test
    void itemsPathMaySelectAnObject() {
        ObjectNode root = (ObjectNode) Json.parse("{\"Input\": {\"byId\": {\"a\": 1, \"b\": 2}}, \"ItemsPath\": \"$.byId\", %s}"
                .formatted(PROCESSOR));
        assertEquals("$.byId", SpecParser.parse(root).itemsPath());
        root.put("ItemsPath", "$.byId.a");
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse(root));
        assertTrue(e.reason().contains("must select a JSON array or object"), e.reason());
    }
}
