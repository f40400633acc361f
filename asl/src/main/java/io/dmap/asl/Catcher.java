package io.dmap.asl;

import java.util.List;

/**
 * One Catch entry: which errors it matches, where it leads, and how the error output becomes the state's output
 * ({@code io}: ResultPath in JSONPath, Output in JSONata) and what it assigns.
 */
record Catcher(List<String> errorEquals, String next, StateIo io, Assign assign) {

    boolean matches(String error) {
        return Retrier.matches(errorEquals, error);
    }
}
