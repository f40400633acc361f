package io.dmap.asl.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmap.common.json.Json;
import io.dmap.common.spec.SpecException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile specs (issue 14): whatever text arrives as a Map state, the parser answers a {@link MapRunSpec} or a
 * {@link SpecException} naming a field path (the planner's 400), within a second; never another exception, a stack
 * overflow or a hang. Inputs: random text (NUL and control characters included), random JSON trees built from the
 * spec's own field names, a valid spec with one node replaced, deep nesting.
 */
class SpecParserPropertiesTest {

    static final Duration LIMIT = Duration.ofSeconds(5);
    static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "spec-fuzz");
        t.setDaemon(true);
        return t;
    });

    static final String VALID = """
            {"Type": "Map", "Label": "fuzz", "MaxConcurrency": 4, "ToleratedFailurePercentage": 5,
             "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 10},
                            "Parameters": {"Bucket": "b", "Key": "k.csv"}},
             "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
             "ItemBatcher": {"MaxItemsPerBatch": 3, "BatchInput": {"x": 1}},
             "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "P",
                               "States": {"P": {"Type": "Pass", "End": true}}},
             "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "o", "Prefix": "p"},
                              "WriterConfig": {"OutputType": "JSONL", "Transformation": "COMPACT"}}}""";

    static final List<String> NAMES = List.of("Type", "Map", "Label", "MaxConcurrency", "ToleratedFailurePercentage",
            "ToleratedFailureCount", "ItemReader", "Resource", "ReaderConfig", "InputType", "CSVHeaderLocation", "CSVHeaders",
            "CSVDelimiter", "MaxItems", "Parameters", "Bucket", "Key", "Prefix", "VersionId", "ItemSelector", "ItemBatcher",
            "MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput", "ItemProcessor", "ProcessorConfig", "Mode",
            "ExecutionType", "StartAt", "States", "End", "Next", "ResultWriter", "WriterConfig", "OutputType",
            "Transformation", "ItemsPath", "Input", "Bucket.$", "Key.$", "v.$", "", "\u0000", "é");
    static final List<String> WORDS = List.of("Map", "Pass", "DISTRIBUTED", "INLINE", "EXPRESS", "STANDARD", "JSON", "JSONL",
            "CSV", "MANIFEST", "FIRST_ROW", "GIVEN", "COMMA", "PIPE", "arn:aws:states:::s3:getObject",
            "arn:aws:states:::s3:listObjectsV2", "arn:aws:states:::s3:putObject", "$", "$.a", "$$.Map.Item.Value", "$[", "$..",
            "States.Format('{}', $.a)", "", "\u0000", "\uD800", "é", "-1", "1e400");

    static int tried;

    @AfterContainer
    static void report() {
        System.out.println("SpecParserPropertiesTest: " + tried + " hostile specs parsed");
    }

    @Property(tries = 300)
    void randomTextIsASpecOrA400(@ForAll("text") String text) {
        answers(() -> SpecParser.parse(text));
    }

    @Property(tries = 400)
    void randomJsonTreesOfSpecWordsAreASpecOrA400(@ForAll("trees") JsonNode tree) {
        answers(() -> SpecParser.parse(tree));
        answers(() -> SpecParser.parse(tree.toString()));
    }

    @Property(tries = 400)
    void aValidSpecWithOneNodeReplacedIsASpecOrA400(@ForAll("mutations") String spec) {
        answers(() -> SpecParser.parse(spec));
    }

    @Property(tries = 20)
    void deepNestingIsA400NotAStackOverflow(@ForAll("depths") int depth, @ForAll boolean objects) {
        String open = objects ? "{\"ItemReader\":" : "[";
        String close = objects ? "}" : "]";
        String text = "{\"ItemSelector\": " + open.repeat(depth) + "1" + close.repeat(depth) + "}";
        answers(() -> SpecParser.parse(text));
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.integers().between(900, 200_000);
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(400);
        Arbitrary<String> jsonish = Arbitraries.strings().withChars("{}[]\":,. \\u0aeE-+$\u0000").ofMaxLength(200);
        Arbitrary<String> truncated = Arbitraries.integers().between(0, VALID.length()).map(n -> VALID.substring(0, n));
        return Arbitraries.oneOf(any, jsonish, truncated);
    }

    @Provide
    Arbitrary<JsonNode> trees() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            ObjectNode root = Json.NODES.objectNode();
            int fields = 1 + r.nextInt(8);
            for (int i = 0; i < fields; i++) {
                root.set(NAMES.get(r.nextInt(NAMES.size())), node(r, 0));
            }
            if (r.nextBoolean()) {
                root.put("Type", "Map");
            }
            return root;
        });
    }

    @Provide
    Arbitrary<String> mutations() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 10_000)).as((seed, pick) -> {
            Random r = new Random(seed);
            JsonNode spec = Json.parse(VALID);
            List<JsonNode> containers = new java.util.ArrayList<>();
            collect(spec, containers);
            JsonNode target = containers.get(pick % containers.size());
            if (target instanceof ObjectNode o) {
                List<String> names = new java.util.ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                if (names.isEmpty() || r.nextInt(4) == 0) {
                    o.set(NAMES.get(r.nextInt(NAMES.size())), node(r, 2));
                } else if (r.nextInt(5) == 0) {
                    o.remove(names.get(r.nextInt(names.size())));
                } else {
                    o.set(names.get(r.nextInt(names.size())), node(r, 2));
                }
            } else if (target instanceof ArrayNode a) {
                a.add(node(r, 2));
            }
            return spec.toString();
        });
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            n.forEach(child -> collect(child, out));
        }
    }

    private static JsonNode node(Random r, int depth) {
        int kind = depth > 4 ? r.nextInt(6) : r.nextInt(8);
        return switch (kind) {
            case 0 -> Json.NODES.textNode(WORDS.get(r.nextInt(WORDS.size())));
            case 1 -> Json.NODES.numberNode(r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(2001) - 1000);
            case 2 -> Json.NODES.numberNode(r.nextDouble() * 200 - 50);
            case 3 -> Json.NODES.booleanNode(r.nextBoolean());
            case 4 -> Json.NODES.nullNode();
            case 5 -> Json.NODES.textNode(Integer.toString(r.nextInt(100)));
            case 6 -> {
                ObjectNode o = Json.NODES.objectNode();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    o.set(NAMES.get(r.nextInt(NAMES.size())), node(r, depth + 1));
                }
                yield o;
            }
            default -> {
                ArrayNode a = Json.NODES.arrayNode();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(node(r, depth + 1));
                }
                yield a;
            }
        };
    }

    interface Parse {
        MapRunSpec run();
    }

    /** A spec, or a SpecException whose every problem names a field path and a reason; within {@link #LIMIT}. */
    static void answers(Parse parse) {
        tried++;
        Future<MapRunSpec> f = POOL.submit(parse::run);
        try {
            assertNotNull(f.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SpecException s) {
                for (SpecException.Problem p : s.problems()) {
                    // a field named "" is named by a quoted path, never by an empty one
                    assertFalse(p.field() == null || p.field().isBlank(), "a problem without a field path: " + s.problems());
                    assertFalse(p.reason() == null || p.reason().isBlank(), "a problem without a reason: " + s.problems());
                }
                return;
            }
            fail("the parser threw " + e.getCause() + " instead of a SpecException (400)", e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            fail("the parser took more than " + LIMIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
        }
    }
}
