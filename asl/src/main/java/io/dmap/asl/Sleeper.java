package io.dmap.asl;

import java.time.Duration;

/** Waits for Wait states and retry intervals; interruptible so that a stopping worker is not held up. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = d -> {
        if (!d.isNegative() && !d.isZero()) {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
