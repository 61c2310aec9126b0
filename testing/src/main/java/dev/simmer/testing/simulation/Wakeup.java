package dev.simmer.testing.simulation;

import dev.simmer.Promise;

/**
 * One task waiting for a simulated socket to change (data, room, a connection, the end):
 * {@link #await()} suspends until {@link #signal()}; a signal with nobody waiting is dropped,
 * so the waiter checks its condition before it waits. Loop thread only.
 */
final class Wakeup {
    private Promise<Void> waiter;

    /** Suspends until the next {@link #signal()}; a cancelled wait leaves nothing behind. */
    void await() throws Exception {
        Promise<Void> p = new Promise<>();
        waiter = p;
        try {
            p.await();
        } finally {
            if (waiter == p) {
                waiter = null;
            }
        }
    }

    /** Wakes the waiting task, if there is one. */
    void signal() {
        Promise<Void> p = waiter;
        if (p != null) {
            waiter = null;
            p.complete(null);
        }
    }
}
