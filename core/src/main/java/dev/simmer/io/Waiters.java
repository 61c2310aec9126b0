package dev.simmer.io;

import dev.simmer.CancelledException;
import dev.simmer.Promise;

import java.util.ArrayList;
import java.util.List;

/**
 * Tasks waiting for a condition to change, each on a promise of its own, so that a cancelled
 * waiter never cancels the others' wait (awaiting a shared promise would). The waiter
 * re-checks its condition after waking. Loop thread only.
 */
final class Waiters {
    private final List<Promise<Void>> waiting = new ArrayList<>(1);

    /** Suspends until {@link #wakeAll()}. */
    void await() throws Exception {
        Promise<Void> p = new Promise<>();
        waiting.add(p);
        try {
            p.await();
        } catch (CancelledException e) {
            waiting.remove(p);
            throw e;
        }
    }

    /** Wakes every waiting task. */
    void wakeAll() {
        if (waiting.isEmpty()) {
            return;
        }
        List<Promise<Void>> all = new ArrayList<>(waiting);
        waiting.clear();
        for (Promise<Void> p : all) {
            p.complete(null);
        }
    }
}
