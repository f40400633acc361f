package io.dmap.aggregator.topology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.util.RawValue;
import io.dmap.common.json.Json;
import io.dmap.common.json.JsonSerde;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The serde of outcomes and execution records, whose {@link JsonNode} fields (an execution's input and output) the
 * aggregator stores and writes out but never looks into: it reads each JSON object or array of them as its text, a
 * {@link com.fasterxml.jackson.databind.node.POJONode} holding a {@link RawValue}, which is written back verbatim.
 * Building the tree of a batch's 250 items, twice (input and output), then writing it again for the store was most of
 * the aggregator's work per outcome. Scalars are read as nodes (they are short). Whoever needs the tree parses it:
 * {@link #tree}. Writing is {@link Json}'s, unchanged.
 */
public final class VerbatimJsonSerde {

    private static final String SOURCE = "dmap.verbatim.source";
    private static final ObjectMapper MAPPER = Json.MAPPER.copy()
            .registerModule(new SimpleModule("dmap-verbatim-json").addDeserializer(JsonNode.class, new Verbatim()));

    private VerbatimJsonSerde() {
    }

    /** Writes with {@link JsonSerde}; reads inputs and outputs verbatim. */
    public static <T> Serde<T> of(Class<T> type) {
        ObjectReader reader = MAPPER.readerFor(type);
        Deserializer<T> verbatim = (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return reader.withAttribute(SOURCE, data).readValue(data);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + type.getSimpleName(), e);
            }
        };
        return Serdes.serdeFrom(JsonSerde.of(type), verbatim);
    }

    /** The node as a tree: parsed when it was read verbatim, else itself. */
    public static JsonNode tree(JsonNode node) {
        return node != null && node.isPojo() ? Json.parse(Json.toString(node)) : node;
    }

    /** An object or array as its text, cut from the bytes being read (no tree); anything else as a node. */
    private static final class Verbatim extends StdDeserializer<JsonNode> {

        private static final JsonDeserializer<? extends JsonNode> TREES = JsonNodeDeserializer.getDeserializer(JsonNode.class);

        Verbatim() {
            super(JsonNode.class);
        }

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            Object source = ctxt.getAttribute(SOURCE);
            long start = p.currentTokenLocation().getByteOffset();
            if ((token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) || !(source instanceof byte[] bytes)
                    || start < 0) {
                return TREES.deserialize(p, ctxt); // Jackson's own (ctxt.readTree would come back here)
            }
            p.skipChildren(); // now at the matching END_OBJECT / END_ARRAY
            long end = p.currentLocation().getByteOffset();
            String text = new String(bytes, (int) start, (int) (end - start), StandardCharsets.UTF_8);
            return Json.NODES.rawValueNode(new RawValue(text));
        }
    }
}
