package io.dmap.asl.jsonata;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.dmap.asl.jsonata.JsonataExpressionTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** One compiled template evaluated by many lanes at once: no evaluation sees another's $states or variables. */
class JsonataConcurrencyTest {

    @Test
    void concurrentEvaluationsOfOneTemplateDoNotMix() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode selector = io.dmap.common.json.Json.NODES.objectNode();
        selector.put("id", "{% $states.input.id %}");
        selector.put("sum", "{% $reduce($map($range(1, $states.input.id % 50 + 1, 1), function($v) { $v * $k }),"
                + " function($a, $b) { $a + $b }) %}");
        selector.put("tag", "{% $tag & '-' & $string($states.context.Map.Item.Index) %}");
        JsonataTemplate template = JsonataTemplate.compile(selector, "ItemSelector");
        int threads = 8;
        int perThread = 400;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int lane = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int i = 0; i < perThread; i++) {
                        int id = lane * perThread + i;
                        int k = lane + 1;
                        JsonNode states = StatesBinding.entry(json("{'id':" + id + "}"),
                                json("{'Map':{'Item':{'Index':" + id + "}}}")).toNode();
                        JsonNode out = template.evaluate(states, Map.of("k", json(String.valueOf(k)),
                                "tag", json("'lane" + lane + "'")));
                        int n = id % 50 + 1;
                        assertEquals(id, out.get("id").intValue());
                        assertEquals(k * n * (n + 1) / 2, out.get("sum").intValue(), "sum for id " + id);
                        assertEquals("lane" + lane + "-" + id, out.get("tag").asText());
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get();
            }
            assertEquals(threads * perThread, total);
        } finally {
            pool.shutdownNow();
        }
    }
}
