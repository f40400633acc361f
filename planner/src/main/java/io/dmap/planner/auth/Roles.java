package io.dmap.planner.auth;

/** The two roles of the API (the names the HTTP policies in application.properties check). */
public final class Roles {

    /** GET, HEAD, OPTIONS: describe and list runs, follow their events, the console. */
    public static final String READ = "read";
    /** Every other method: start, abort, redrive, update. */
    public static final String OPERATE = "operate";

    private Roles() {
    }
}
