package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.asl.map.MapContext;
import io.dmap.asl.map.SpecParser;
import io.dmap.common.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemSelectorTest {

    private static final JsonNode ITEM = Json.parse("{\"Key\":\"a/b.txt\",\"Size\":12,\"tags\":[\"x\",\"y\"],\"meta\":{\"o\":\"me\"}}");
    private static final JsonNode INPUT = Json.parse("{\"env\":\"prod\",\"cfg\":{\"retries\":3}}");
    private static final MapContext CONTEXT = MapContext.forRun("run-1", SpecParser.parse("""
            {"Name": "nightly", "Label": "thumbs", "Input": [1], "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
             "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}"""), Instant.parse("2026-12-01T08:00:00Z"));

    private static ItemSelector selector(String template) {
        return ItemSelector.of(template == null ? null : Json.parse(template), INPUT, CONTEXT);
    }

    @Test
    void withoutTemplateTheItemIsPassedUnchanged() {
        assertSame(ITEM, selector(null).select(ITEM, 4, null, "STATE_DATA"));
    }

    @Test
    void resolvesItemContextInputPathsIntrinsicsAndCopiesStaticValues() {
        JsonNode selected = selector("""
                {"whole.$": "$$.Map.Item.Value", "key.$": "$$.Map.Item.Value.Key", "second.$": "$$.Map.Item.Value.tags[1]",
                 "index.$": "$$.Map.Item.Index", "source.$": "$$.Map.Item.Source", "env.$": "$.env",
                 "run.$": "$$.Execution.Name", "state.$": "$$.State.Name", "at.$": "$$.State.EnteredTime",
                 "label.$": "States.Format('{}-{}', $$.Execution.Name, $$.Map.Item.Index)",
                 "static": "plain", "nested": {"retries.$": "$.cfg.retries", "fixed": true}}
                """).select(ITEM, 7, null, "S3://in/list.json");

        assertEquals(Json.parse("""
                {"whole": {"Key":"a/b.txt","Size":12,"tags":["x","y"],"meta":{"o":"me"}}, "key": "a/b.txt", "second": "y",
                 "index": 7, "source": "S3://in/list.json", "env": "prod", "run": "nightly", "state": "thumbs",
                 "at": "2026-12-01T08:00:00Z", "label": "nightly-7", "static": "plain", "nested": {"retries": 3, "fixed": true}}
                """), selected);
        assertTrue(selected.get("index").isIntegralNumber());
    }

    @Test
    void theKeyIsThereOnlyWhenIteratingAnObject() {
        ItemSelector selector = selector("{\"k.$\": \"$$.Map.Item.Key\", \"v.$\": \"$$.Map.Item.Value\"}");
        assertEquals(Json.parse("{\"k\": \"alpha\", \"v\": 1}"), selector.select(Json.parse("1"), 0, "alpha", "STATE_DATA"));
        ItemSelectorException e = assertThrows(ItemSelectorException.class,
                () -> selector.select(Json.parse("2"), 1, null, "STATE_DATA"));
        assertTrue(e.getMessage().startsWith("ItemSelector, item 1: The JSONPath '$$.Map.Item.Key'"), e.getMessage());
    }

    @Test
    void theSelectedItemDoesNotShareNodesWithTheItem() {
        JsonNode item = Json.parse("{\"meta\":{\"o\":\"me\"}}");
        JsonNode selected = selector("{\"m.$\":\"$$.Map.Item.Value.meta\"}").select(item, 0, null, null);
        ((com.fasterxml.jackson.databind.node.ObjectNode) selected.get("m")).put("o", "changed");
        assertEquals("me", item.get("meta").get("o").asText());
    }
}
