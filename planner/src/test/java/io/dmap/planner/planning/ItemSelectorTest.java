package io.dmap.planner.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemSelectorTest {

    private static final JsonNode ITEM = Json.parse("{\"Key\":\"a/b.txt\",\"Size\":12,\"tags\":[\"x\",\"y\"],\"meta\":{\"o\":\"me\"}}");
    private static final JsonNode INPUT = Json.parse("{\"env\":\"prod\",\"cfg\":{\"retries\":3}}");

    @Test
    void withoutTemplateTheItemIsPassedUnchanged() {
        assertSame(ITEM, ItemSelector.of(null).select(ITEM, 4, INPUT));
    }

    @Test
    void resolvesValueIndexInputPathsAndCopiesStaticValues() {
        ItemSelector selector = ItemSelector.of(Json.parse("""
                {"whole.$": "$$.Map.Item.Value", "key.$": "$$.Map.Item.Value.Key", "second.$": "$$.Map.Item.Value.tags[1]",
                 "owner.$": "$$.Map.Item.Value.meta.o", "index.$": "$$.Map.Item.Index", "env.$": "$.env",
                 "static": "plain", "list": [1, {"k.$": "not a path inside arrays"}],
                 "nested": {"retries.$": "$.cfg.retries", "fixed": true}}
                """));

        JsonNode selected = selector.select(ITEM, 7, INPUT);

        assertEquals(Json.parse("""
                {"whole": {"Key":"a/b.txt","Size":12,"tags":["x","y"],"meta":{"o":"me"}}, "key": "a/b.txt", "second": "y",
                 "owner": "me", "index": 7, "env": "prod", "static": "plain", "list": [1, {"k.$": "not a path inside arrays"}],
                 "nested": {"retries": 3, "fixed": true}}
                """), selected);
        assertTrue(selected.get("index").isIntegralNumber());
    }

    @Test
    void theSelectedItemDoesNotShareNodesWithTheItem() {
        JsonNode item = Json.parse("{\"meta\":{\"o\":\"me\"}}");
        JsonNode selected = ItemSelector.of(Json.parse("{\"m.$\":\"$$.Map.Item.Value.meta\"}")).select(item, 0, INPUT);
        ((com.fasterxml.jackson.databind.node.ObjectNode) selected.get("m")).put("o", "changed");
        assertEquals("me", item.get("meta").get("o").asText());
    }

    @Test
    void aPathThatSelectsNothingNamesTheKeyAndTheItem() {
        ItemSelector selector = ItemSelector.of(Json.parse("{\"nested\":{\"x.$\":\"$$.Map.Item.Value.missing\"}}"));
        ItemSelectorException e = assertThrows(ItemSelectorException.class, () -> selector.select(ITEM, 3, INPUT));
        assertEquals("ItemSelector.nested.x.$: the path '$$.Map.Item.Value.missing' selects nothing in item 3", e.getMessage());
    }

    @Test
    void rejectsUnknownContextPathsAndBadSyntaxNamingTheField() {
        SpecException context = assertThrows(SpecException.class,
                () -> ItemSelector.of(Json.parse("{\"a\":{\"b.$\":\"$$.Execution.Id\"}}")));
        assertEquals("ItemSelector.a.b.$", context.field());

        SpecException syntax = assertThrows(SpecException.class,
                () -> ItemSelector.of(Json.parse("{\"b.$\":\"$.x[oops\"}")));
        assertEquals("ItemSelector.b.$", syntax.field());

        SpecException notText = assertThrows(SpecException.class, () -> ItemSelector.of(Json.parse("{\"b.$\":3}")));
        assertEquals("ItemSelector.b.$", notText.field());
    }
}
