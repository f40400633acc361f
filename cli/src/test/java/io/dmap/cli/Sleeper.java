package io.dmap.cli;

/** A child process for the supervisor tests: prints its pid, then sleeps until killed. */
public final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
        System.out.println("sleeper " + ProcessHandle.current().pid());
        Thread.sleep(Long.MAX_VALUE);
    }
}
