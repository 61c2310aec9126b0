package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.Task;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.simmer.sync.SyncTesting.virtual;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of tasks contending for a Lock, a Semaphore and a Condition, and waiting on an
 * Event and a Barrier, with random sleeps and random cancellations (some landing exactly
 * between a grant and the resumption). Invariants: at most one holder of the lock at a time;
 * never more semaphore holders than permits; an event waiter returns only after a set(); a
 * barrier round's indices are distinct, below the parties, and include the releasing arrival;
 * at the end every permit is back, the lock is free, no waiter is left, and every task was
 * either served or cancelled (or, at the barrier, broken). Scale with
 * {@code -Dsimmer.stress.scale=N}.
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

    @Test
    void eventAndBarrierWithRandomCancellation() throws Exception {
        for (long seed = 1; seed <= 3L * SCALE; seed++) {
            eventAndBarrierOnce(seed);
        }
    }

    private void eventAndBarrierOnce(long seed) throws Exception {
        Random random = new Random(seed);
        int parties = 2 + random.nextInt(4);
        int[] counts = new int[5]; // eventServed, barrierPassed, broken, cancelled, rounds
        Map<Integer, Set<Integer>> indicesByRound = new HashMap<>();
        virtual(() -> {
            Event event = new Event();
            Barrier barrier = new Barrier(parties);
            int[] setCalls = new int[1];
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                boolean toEvent = random.nextBoolean();
                int millis = random.nextInt(3);
                tasks.add(Async.createTask(() -> {
                    Async.sleep(Duration.ofMillis(millis));
                    if (toEvent) {
                        boolean wasSet = event.isSet();
                        int before = setCalls[0];
                        event.await();
                        assertThat(wasSet || setCalls[0] > before).as("woken only by a set()").isTrue();
                        counts[0]++;
                    } else {
                        int index;
                        try {
                            index = barrier.await();
                        } catch (BrokenBarrierException e) {
                            counts[2]++;
                            return;
                        }
                        if (index == parties - 1) {
                            counts[4]++; // the releasing arrival opens a new round id; the others read it later
                        }
                        assertThat(index).isBetween(0, parties - 1);
                        assertThat(indicesByRound.computeIfAbsent(counts[4], r -> new HashSet<>()).add(index))
                                .as("index %d twice in round %d", index, counts[4]).isTrue();
                        counts[1]++;
                    }
                }));
                int dice = random.nextInt(100);
                if (dice < 2) {
                    event.set();
                    setCalls[0]++;
                } else if (dice < 5) {
                    event.clear();
                } else if (dice == 5) {
                    barrier.abort();
                    Async.sleep(Duration.ofMillis(1));
                    barrier.reset();
                }
                if (random.nextInt(3) == 0) {
                    Async.sleep(Duration.ofMillis(random.nextInt(2)));
                }
                if (random.nextInt(3) == 0) {
                    Task<Void> victim = tasks.get(tasks.size() - 1 - random.nextInt(Math.min(50, tasks.size())));
                    if (random.nextBoolean()) {
                        victim.cancel();
                    } else {
                        Async.loop().callSoon(victim::cancel); // lands between a grant and a resumption
                    }
                }
            }
            event.set();
            setCalls[0]++;
            Async.sleep(Duration.ofMillis(5));
            barrier.abort(); // the last, incomplete round
            for (Task<Void> t : tasks) {
                Async.gatherSettled(t);
                if (t.isCancelled()) {
                    counts[3]++;
                } else {
                    t.result(); // rethrows an invariant violation
                }
            }
            assertThat(event.waiterCount()).isZero();
            assertThat(barrier.insideCount()).as("nobody left inside the barrier").isZero();
        });
        assertThat(counts[0] + counts[1] + counts[2] + counts[3]).as("seed %d: every task ended one way", seed)
                .isEqualTo(3000);
        String tally = String.format("seed %d: %s (event served, barrier passed, broken, cancelled, rounds)", seed,
                java.util.Arrays.toString(counts));
        assertThat(counts[3]).as("some cancelled; " + tally).isGreaterThan(50);
        assertThat(counts[4]).as("many barrier rounds; " + tally).isGreaterThan(50);
        assertThat(counts[2]).as("some broken; " + tally).isGreaterThan(0);
        for (Map.Entry<Integer, Set<Integer>> round : indicesByRound.entrySet()) {
            if (round.getKey() > 0) {
                assertThat(round.getValue()).as("seed %d: round %d includes its releaser", seed, round.getKey())
                        .contains(parties - 1);
            }
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
