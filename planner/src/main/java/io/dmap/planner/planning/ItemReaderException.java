package io.dmap.planner.planning;

/**
 * The item source could not be read: the run fails with {@code States.ItemReaderFailed}. The message is the
 * cause shown to the user, so it names the bucket / object (and line where there is one).
 */
public class ItemReaderException extends RuntimeException {

    public ItemReaderException(String message, Throwable cause) {
        super(message, cause);
    }

    public ItemReaderException(String message) {
        super(message);
    }
}
