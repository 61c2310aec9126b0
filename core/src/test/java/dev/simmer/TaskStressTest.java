package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of tasks that sleep, yield, await each other, gather and fail, with random
 * cancellations from everywhere. Invariants: every body that started runs its finally block
 * exactly once, every task ends, nothing is left alive, and each outcome matches what
 * happened to the task. Scale with {@code -Dsimmer.stress.scale=N} (default 1).
 */
class TaskStressTest {
    private static final int SCALE = Integer.getInteger("simmer.stress.scale", 1);

    @Test
    void randomTreesOfTasksWithRandomCancellation() throws Exception {
        for (long seed = 1; seed <= 5L * SCALE; seed++) {
            runOnce(seed);
        }
    }

    private void runOnce(long seed) throws Exception {
        Random random = new Random(seed);
        int[] started = new int[1];
        int[] finallies = new int[1];
        List<Task<Integer>> all = new ArrayList<>();
        Loops.virtual(() -> {
            for (int i = 0; i < 2000; i++) {
                all.add(Async.createTask(worker(random, started, finallies, all, 3)));
                if (random.nextInt(4) == 0) {
                    Async.yieldNow();
                }
                if (random.nextInt(3) == 0 && !all.isEmpty()) {
                    all.get(random.nextInt(all.size())).cancel("random");
                }
            }
            for (Task<Integer> t : new ArrayList<>(all)) {
                Outcome<Integer> o = Async.gatherSettled(List.of(t)).get(0);
                assertThat(t.isDone()).isTrue();
                assertThat(o.isSuccess()).isEqualTo(!t.isCancelled() && t.exception() == null);
            }
            assertThat(Async.loop().tasks()).containsExactly(Async.currentTask());
        });
        assertThat(started[0]).as("seed %d: bodies started", seed).isGreaterThan(1000);
        assertThat(finallies[0]).as("seed %d: finally blocks", seed).isEqualTo(started[0]);
        assertThat(all).as("seed %d: some tasks cancelled, some failed, some succeeded", seed)
                .anySatisfy(t -> assertThat(t.isCancelled()).isTrue())
                .anySatisfy(t -> assertThat(!t.isCancelled() && t.exception() != null).isTrue())
                .anySatisfy(t -> assertThat(!t.isCancelled() && t.exception() == null).isTrue());
    }

    private AsyncCallable<Integer> worker(Random random, int[] started, int[] finallies, List<Task<Integer>> all,
                                          int depth) {
        int kind = random.nextInt(6);
        int millis = random.nextInt(50);
        return () -> {
            started[0]++;
            try {
                switch (kind) {
                    case 0 -> Async.sleep(Duration.ofMillis(millis));
                    case 1 -> Async.yieldNow();
                    case 2 -> {
                        if (!all.isEmpty()) {
                            Task<Integer> other = all.get(millis % all.size());
                            if (other != Async.currentTask()) {
                                try {
                                    Async.shield(other);
                                } catch (IllegalArgumentException expected) {
                                    // the other one failed on purpose
                                }
                            }
                        }
                    }
                    case 3 -> {
                        if (depth > 0) {
                            Async.gather(worker(random, started, finallies, all, depth - 1),
                                    worker(random, started, finallies, all, depth - 1));
                        }
                    }
                    case 4 -> {
                        Async.sleep(Duration.ofMillis(millis));
                        throw new IllegalArgumentException("planned failure");
                    }
                    default -> {
                        if (random.nextBoolean() && !all.isEmpty()) {
                            all.get(millis % all.size()).cancel();
                        }
                        Async.sleep(Duration.ofMillis(millis));
                    }
                }
                return millis;
            } finally {
                finallies[0]++;
            }
        };
    }
}
