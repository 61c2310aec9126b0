package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.AsyncRunnable;
import dev.simmer.Runner;

import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers for this package (dev.simmer's own Loops and Script are package-private there). */
final class SyncTesting {
    private SyncTesting() {
    }

    /** Runs {@code main} on virtual time; sleeps cost no real time. */
    static void virtual(AsyncRunnable main) throws Exception {
        Runner.create().virtualTime(true).run(main);
    }

    /** Yields (at most 100 passes) until {@code done} holds. */
    static void yieldUntil(BooleanSupplier done) {
        for (int i = 0; i < 100 && !done.getAsBoolean(); i++) {
            Async.yieldNow();
        }
        assertThat(done.getAsBoolean()).as("condition reached within 100 passes").isTrue();
    }
}
