package io.dmap.planner.service;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Map run ids: random, or derived from the client's Name so that posting the same Name twice names one run. */
public final class RunIds {

    private RunIds() {
    }

    public static String forName(String name) {
        if (name == null) {
            return UUID.randomUUID().toString();
        }
        return UUID.nameUUIDFromBytes(("name:" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
