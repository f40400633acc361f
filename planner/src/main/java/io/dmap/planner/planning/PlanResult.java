package io.dmap.planner.planning;

/** What planning a run came to: {@code error} is null when it was planned completely. */
public record PlanResult(long items, long batches, String error, String cause) {

    public boolean planned() {
        return error == null;
    }
}
