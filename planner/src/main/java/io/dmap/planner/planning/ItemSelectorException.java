package io.dmap.planner.planning;

/** A path of the ItemSelector selects nothing for some item: the run fails with {@code States.Runtime}, like AWS. */
public class ItemSelectorException extends RuntimeException {

    public ItemSelectorException(String message) {
        super(message);
    }
}
