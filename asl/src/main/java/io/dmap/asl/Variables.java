package io.dmap.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmap.common.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workflow variables of one scope. A child execution's top-level states share one scope; each Parallel branch
 * and inline Map iteration gets a scope of its own that reads the outer ones and vanishes when it ends (AWS's
 * scoping: no shadowing, which the compiler enforces). A Distributed Map child starts from an empty root, so it
 * cannot see the parent's variables. Sizes follow AWS's limits: 256 KiB a variable and an Assign, 10 MiB an execution.
 */
final class Variables {

    static final int MAX_NAME_LENGTH = 80;
    static final long MAX_VARIABLE_BYTES = 256 * 1024;
    static final long MAX_ASSIGN_BYTES = 256 * 1024;
    static final long MAX_EXECUTION_BYTES = 10 * 1024 * 1024;

    private final Variables parent;
    private final AtomicLong executionBytes;
    private final Map<String, JsonNode> own = new HashMap<>();
    private final Map<String, Long> sizes = new HashMap<>();

    private Variables(Variables parent, AtomicLong executionBytes) {
        this.parent = parent;
        this.executionBytes = executionBytes;
    }

    static Variables root() {
        return new Variables(null, new AtomicLong());
    }

    /**
     * A root scope holding {@code values} (a parent execution's variables, kept in its record while it waits for a
     * map run): restored as they were, sizes counted again.
     */
    static Variables restore(Map<String, JsonNode> values) {
        Variables v = root();
        if (values != null) {
            for (Map.Entry<String, JsonNode> e : values.entrySet()) {
                long bytes = Json.toString(e.getValue()).getBytes(StandardCharsets.UTF_8).length;
                v.own.put(e.getKey(), e.getValue());
                v.sizes.put(e.getKey(), bytes);
                v.executionBytes.addAndGet(bytes);
            }
        }
        return v;
    }

    /** A nested scope (a branch, an iteration) that reads this one. */
    Variables child() {
        return new Variables(this, executionBytes);
    }

    JsonNode get(String name) {
        synchronized (this) {
            JsonNode v = own.get(name);
            if (v != null) {
                return v;
            }
        }
        return parent == null ? null : parent.get(name);
    }

    /** Every variable visible here, inner scopes last (JSONata binds them all). */
    Map<String, JsonNode> visible() {
        Map<String, JsonNode> all = parent == null ? new LinkedHashMap<>() : parent.visible();
        synchronized (this) {
            all.putAll(own);
        }
        return all;
    }

    /** Assigns all of {@code values} at once (evaluated beforehand on the state's entry values). */
    void assign(Map<String, JsonNode> values, String stateName) throws StatesError {
        long assignBytes = 0;
        Map<String, Long> newSizes = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : values.entrySet()) {
            long bytes = Json.toString(e.getValue()).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_VARIABLE_BYTES) {
                throw StatesError.runtime("The variable '" + e.getKey() + "' assigned in the state '" + stateName
                        + "' has " + bytes + " bytes, more than the 256 KiB a variable may hold");
            }
            assignBytes += bytes;
            newSizes.put(e.getKey(), bytes);
        }
        if (assignBytes > MAX_ASSIGN_BYTES) {
            throw StatesError.runtime("The Assign of the state '" + stateName + "' has " + assignBytes
                    + " bytes, more than the 256 KiB one Assign may hold");
        }
        synchronized (this) {
            long delta = 0;
            for (Map.Entry<String, Long> e : newSizes.entrySet()) {
                delta += e.getValue() - sizes.getOrDefault(e.getKey(), 0L);
            }
            long total = executionBytes.addAndGet(delta);
            if (total > MAX_EXECUTION_BYTES) {
                executionBytes.addAndGet(-delta);
                throw StatesError.runtime("The variables of this execution would hold " + total
                        + " bytes, more than the 10 MiB an execution may hold (state '" + stateName + "')");
            }
            own.putAll(values);
            sizes.putAll(newSizes);
        }
    }

    /** The scope ends (its branch or iteration finished): its variables vanish and no longer count. */
    synchronized void close() {
        long bytes = sizes.values().stream().mapToLong(Long::longValue).sum();
        executionBytes.addAndGet(-bytes);
        own.clear();
        sizes.clear();
    }

    /** A name AWS accepts for a variable: a Unicode identifier of at most 80 characters. */
    static boolean validName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        int first = name.codePointAt(0);
        if (!(Character.isLetter(first) || first == '_')) {
            return false;
        }
        return name.codePoints().allMatch(Variables::identifierPart);
    }

    static boolean identifierPart(int c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
