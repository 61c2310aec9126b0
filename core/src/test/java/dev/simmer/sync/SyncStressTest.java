package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.Task;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.simmer.sync.SyncTesting.virtual;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of tasks contending for a Lock, a Semaphore and a Condition, with random sleeps
 * and random cancellations (some landing exactly between a grant and the resumption).
 * Invariants: at most one holder of the lock at a time; never more semaphore holders than
 * permits; at the end every permit is back, the lock is free, no waiter is left, and every
 * task was either served or cancelled. Scale with {@code -Dsimmer.stress.scale=N}.
 */
class SyncStressTest {
    private static final int SCALE = Integer.getInteger("simmer.stress.scale", 1);
    private static final int PERMITS = 4;

    @Test
    void randomContentionWithRandomCancellation() throws Exception {
        for (long seed = 1; seed <= 3L * SCALE; seed++) {
            runOnce(seed);
        }
    }

    private void runOnce(long seed) throws Exception {
        Random random = new Random(seed);
        int[] counts = new int[6]; // lockHolders, semHolders, served, cancelled, maxSem, signalsSeen
        virtual(() -> {
            Lock lock = new Lock();
            Semaphore sem = new BoundedSemaphore(PERMITS);
            Condition cond = new Condition();
            int[] produced = new int[1];
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                int kind = random.nextInt(3);
                int millis = random.nextInt(5);
                tasks.add(Async.createTask(() -> {
                    switch (kind) {
                        case 0 -> {
                            try (Held held = lock.acquire()) {
                                assertThat(++counts[0]).as("lock holders").isEqualTo(1);
                                try {
                                    Async.sleep(Duration.ofMillis(millis));
                                } finally {
                                    counts[0]--;
                                }
                            }
                        }
                        case 1 -> {
                            try (Held permit = sem.acquire()) {
                                counts[4] = Math.max(counts[4], ++counts[1]);
                                try {
                                    assertThat(counts[1]).as("semaphore holders").isLessThanOrEqualTo(PERMITS);
                                    Async.sleep(Duration.ofMillis(millis));
                                } finally {
                                    counts[1]--;
                                }
                            }
                        }
                        default -> {
                            try (Held held = cond.acquire()) {
                                if (millis % 2 == 0) {
                                    produced[0]++;
                                    cond.signal();
                                } else {
                                    cond.awaitUntil(() -> produced[0] > 0);
                                    produced[0]--;
                                    counts[5]++;
                                }
                            }
                        }
                    }
                }));
                if (random.nextInt(3) == 0) {
                    Async.sleep(Duration.ofMillis(random.nextInt(3)));
                }
                if (random.nextInt(3) == 0) {
                    Task<Void> victim = tasks.get(random.nextInt(tasks.size()));
                    if (random.nextBoolean()) {
                        victim.cancel();
                    } else {
                        Async.loop().callSoon(victim::cancel); // lands between a grant and a resumption
                    }
                }
            }
            // Producers for any consumer still waiting, so every waiter can be served.
            while (tasks.stream().anyMatch(t -> !t.isDone())) {
                try (Held held = cond.acquire()) {
                    produced[0]++;
                    cond.signalAll();
                }
                Async.sleep(Duration.ofMillis(5));
            }
            for (Task<Void> t : tasks) {
                if (t.isCancelled()) {
                    counts[3]++;
                } else {
                    t.result(); // rethrows an invariant violation
                    counts[2]++;
                }
            }
            assertThat(lock.locked()).isFalse();
            assertThat(lock.waiterCount()).isZero();
            assertThat(sem.available()).as("all permits back").isEqualTo(PERMITS);
            assertThat(sem.waiterCount()).isZero();
            assertThat(cond.locked()).isFalse();
            assertThat(cond.waiterCount()).isZero();
        });
        assertThat(counts[2] + counts[3]).as("seed %d: every task served or cancelled", seed).isEqualTo(3000);
        assertThat(counts[3]).as("seed %d: some cancelled", seed).isGreaterThan(50);
        assertThat(counts[2]).as("seed %d: most served", seed).isGreaterThan(1000);
        assertThat(counts[4]).as("seed %d: the semaphore was contended", seed).isEqualTo(PERMITS);
    }

}
