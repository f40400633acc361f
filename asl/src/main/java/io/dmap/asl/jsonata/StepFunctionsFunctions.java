package io.dmap.asl.jsonata;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Jsonata.Frame;
import com.dashjoin.jsonata.Jsonata.JFunction;
import com.dashjoin.jsonata.Jsonata.JFunctionCallable;
import com.dashjoin.jsonata.Utils;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.dmap.common.json.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The functions Step Functions adds to JSONata ({@code $partition}, {@code $range}, {@code $hash}, {@code $random},
 * {@code $uuid}, {@code $parse}; AWS-REFERENCE.md 6.7), the removal of {@code $eval}, and {@code $now}/{@code $millis}
 * bound to the evaluation's own clock. They are bound into each evaluation's frame, never into the library's shared
 * environment, so that concurrent evaluations share nothing mutable.
 *
 * <p>Argument types are checked by the library from each function's JSONata signature, so a wrong type fails with
 * JSONata's own {@code T0410} text. Integer parameters are floored, as AWS documents.
 */
final class StepFunctionsFunctions {

    /** What {@code $range} may produce; AWS fails a far larger range too, at a size it does not document. */
    static final int MAX_RANGE = 10_000;

    static final Set<String> HASH_ALGORITHMS = Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

    /** A Step Functions function was called with values it refuses; the message says which and why. */
    static final class FunctionFailure extends RuntimeException {
        FunctionFailure(String message) {
            super(message, null, false, false);
        }
    }

    private static final Map<String, JFunction> FUNCTIONS = new LinkedHashMap<>();

    static {
        define("partition", "<an:a>", StepFunctionsFunctions::partition);
        define("range", "<nnn:a<n>>", StepFunctionsFunctions::range);
        define("hash", "<ss:s>", StepFunctionsFunctions::hash);
        define("random", "<n?:n>", StepFunctionsFunctions::random);
        define("uuid", "<:s>", (input, args) -> UUID.randomUUID().toString());
        define("parse", "<s:x>", StepFunctionsFunctions::parse);
        define("eval", null, (input, args) -> {
            throw new FunctionFailure("$eval is not supported by Step Functions; use $parse to read JSON text");
        });
        // Frame.bind sets the signature's function name (used in T0410 texts); do it once, here, not per evaluation
        Frame naming = new Frame(null);
        FUNCTIONS.forEach(naming::bind);
    }

    private StepFunctionsFunctions() {
    }

    private static void define(String name, String signature, JFunctionCallable body) {
        FUNCTIONS.put(name, new JFunction(body, signature));
    }

    /**
     * Binds the functions into one evaluation's frame. {@code $now()} and {@code $millis()} return this evaluation's
     * start time: the library keeps that time in a per-thread instance that another expression may have left stale.
     */
    static void bindInto(Frame frame, long evaluationMillis) {
        FUNCTIONS.forEach((name, fn) -> frame.bind(name, (Object) fn));
        frame.bind("millis", (Object) new JFunction((input, args) -> evaluationMillis, "<:n>"));
        frame.bind("now", (Object) new JFunction((input, args) -> Functions.dateTimeFromMillis(evaluationMillis,
                args.size() > 0 ? (String) args.get(0) : null, args.size() > 1 ? (String) args.get(1) : null),
                "<s?s?:s>"));
    }

    private static Object partition(Object input, List<?> args) {
        List<?> array = (List<?>) args.get(0);
        long size = floor(args.get(1));
        if (size < 1) {
            throw new FunctionFailure("$partition: the chunk size must be at least 1, was " + args.get(1));
        }
        List<Object> chunks = new ArrayList<>();
        for (int from = 0; from < array.size(); from += (int) Math.min(size, Integer.MAX_VALUE)) {
            chunks.add(new ArrayList<>(array.subList(from, (int) Math.min(array.size(), from + size))));
        }
        return chunks;
    }

    /**
     * Inclusive of the end when the steps land on it. The result is a JSONata sequence, as recorded on AWS: one
     * value comes out as that value, none (a step of 0 or one pointing away from the end) as undefined.
     */
    private static Object range(Object input, List<?> args) {
        long start = floor(args.get(0));
        long end = floor(args.get(1));
        long step = floor(args.get(2));
        List<Object> sequence = Utils.createSequence();
        if (step == 0) {
            return sequence;
        }
        for (long i = start; step > 0 ? i <= end : i >= end; i += step) {
            if (sequence.size() == MAX_RANGE) {
                throw new FunctionFailure("$range: the range would hold more than " + MAX_RANGE + " values");
            }
            sequence.add(Utils.convertNumber(i));
            if ((step > 0 && i > Long.MAX_VALUE - step) || (step < 0 && i < Long.MIN_VALUE - step)) {
                break;
            }
        }
        return sequence;
    }

    private static Object hash(Object input, List<?> args) {
        String data = (String) args.get(0);
        String algorithm = (String) args.get(1);
        if (!HASH_ALGORITHMS.contains(algorithm)) {
            throw new FunctionFailure("$hash: the algorithm '" + algorithm
                    + "' is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
        }
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(data.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    /** A seed gives a repeatable number (the same seed, the same number; not AWS's number for that seed). */
    private static Object random(Object input, List<?> args) {
        if (args.isEmpty() || args.get(0) == null) {
            return ThreadLocalRandom.current().nextDouble();
        }
        return new Random(floor(args.get(0))).nextDouble();
    }

    private static Object parse(Object input, List<?> args) {
        String text = (String) args.get(0);
        try {
            Object value = JsonataValues.toJava(Json.MAPPER.readTree(text));
            return value == null ? Jsonata.NULL_VALUE : value;
        } catch (JsonProcessingException e) {
            throw new FunctionFailure("$parse: the argument is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static long floor(Object number) {
        double d = ((Number) number).doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new FunctionFailure("the number " + d + " is not an integer");
        }
        return (long) Math.floor(d);
    }
}
