package io.dmap.asl;

/**
 * What every state has: its name, its query language, how its input becomes its effective input and its result
 * becomes its output ({@link StateIo}), its Assign (may be null) and where it leads ({@code next} null: it ends).
 */
public record StateFrame(String name, QueryLanguage language, StateIo io, Assign assign, String next) {

    boolean ends() {
        return next == null;
    }
}
