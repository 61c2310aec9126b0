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

    /**
     * Ordering tests that read like a script (kotlinx.coroutines' expect/finish): each
     * {@code expect(n)} must be reached in order 1, 2, 3, ...; {@code finish(n)} is the last.
     */
    static final class Script {
        private int next = 1;
        private boolean finished;

        void expect(int n) {
            assertThat(finished).as("step %d reached after finish", n).isFalse();
            assertThat(n).as("script step").isEqualTo(next);
            next++;
        }

        void finish(int n) {
            expect(n);
            finished = true;
        }

        void assertFinished() {
            assertThat(finished).as("script finished (next step was %d)", next).isTrue();
        }

        void unreachable() {
            throw new AssertionError("unreachable step reached (after step " + (next - 1) + ")");
        }
    }
}
