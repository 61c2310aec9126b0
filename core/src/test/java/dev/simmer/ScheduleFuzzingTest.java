package dev.simmer;

import dev.simmer.sync.Lock;
import dev.simmer.sync.Queue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Schedule fuzzing ({@link Runner#shuffleSeed}): it changes the order of entries ready in
 * the same pass, replays an order exactly from its seed, and leaves the invariants of
 * gather, task groups and the sync primitives intact under many seeds. The stress tests run
 * under fuzzing too (the {@code fuzz-seed-*} executions of core/pom.xml).
 */
class ScheduleFuzzingTest {
    private static final int SEEDS = 12;

    private static Runner fuzzed(long seed) {
        return Runner.create().virtualTime(true).shuffleSeed(seed);
    }

    /** The order in which ten tasks created together first run. */
    private static List<Integer> startOrder(Runner runner) throws Exception {
        List<Integer> order = new ArrayList<>();
        runner.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int id = i;
                tasks.add(Async.createTask(() -> {
                    order.add(id);
                }));
            }
            Async.gather(tasks);
        });
        return order;
    }

    @Test
    void withoutFuzzingReadyEntriesRunFirstComeFirstServed() throws Exception {
        assertThat(startOrder(Runner.create().virtualTime(true).noShuffle()))
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void aSeedShufflesTheOrderAndTheSameSeedReplaysIt() throws Exception {
        Set<List<Integer>> orders = new HashSet<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<Integer> first = startOrder(fuzzed(seed));
            assertThat(startOrder(fuzzed(seed))).as("seed %d replayed", seed).isEqualTo(first);
            assertThat(first).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            orders.add(first);
        }
        assertThat(orders).as("different seeds give different orders").hasSizeGreaterThan(SEEDS / 2);
    }

    @Test
    void fuzzingFindsATestThatDependsOnOneOrder() throws Exception {
        // Two tasks append to a log with no coordination: only FIFO makes it "ab".
        List<String> seen = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            StringBuilder log = new StringBuilder();
            fuzzed(seed).run(() -> {
                Task<Void> a = Async.createTask(() -> {
                    log.append('a');
                });
                Task<Void> b = Async.createTask(() -> {
                    log.append('b');
                });
                Async.gather(a, b);
            });
            seen.add(log.toString());
        }
        assertThat(seen).contains("ab", "ba");
    }

    @Test
    void gatherKeepsResultsInArgumentOrderUnderEverySeed() throws Exception {
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<Integer> results = fuzzed(seed).run(() -> Async.gather(IntStream.range(0, 50)
                    .<AsyncCallable<Integer>>mapToObj(i -> () -> {
                        Async.sleep(Duration.ofMillis(i % 7));
                        Async.yieldNow();
                        return i;
                    }).toList()));
            assertThat(results).as("seed %d", seed).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
        }
    }

    @Test
    void aFailingChildCancelsItsSiblingsUnderEverySeed() throws Exception {
        for (long seed = 1; seed <= SEEDS; seed++) {
            int[] finallies = new int[1];
            long s = seed;
            assertThatThrownBy(() -> fuzzed(s).run(() -> Async.taskGroup(group -> {
                for (int i = 0; i < 20; i++) {
                    int id = i;
                    group.createTask(() -> {
                        try {
                            Async.yieldNow();
                            if (id == 7) {
                                throw new IllegalStateException("child 7");
                            }
                            Async.sleep(Duration.ofHours(1));
                        } finally {
                            finallies[0]++;
                        }
                        return null;
                    });
                }
                return null;
            }))).as("seed %d", seed).isInstanceOf(IllegalStateException.class).hasMessage("child 7");
            assertThat(finallies[0]).as("seed %d: every child ended", seed).isEqualTo(20);
        }
    }

    @Test
    void aLockStillExcludesAndAQueueStillDeliversEverythingOnceUnderEverySeed() throws Exception {
        for (long seed = 1; seed <= SEEDS; seed++) {
            int[] inside = new int[1];
            int[] maxInside = new int[1];
            List<Integer> received = new ArrayList<>();
            fuzzed(seed).run(() -> {
                Lock lock = new Lock();
                Queue<Integer> queue = new Queue<>(3);
                List<Task<Void>> workers = new ArrayList<>();
                for (int w = 0; w < 5; w++) {
                    int base = w * 100;
                    workers.add(Async.createTask(() -> {
                        for (int i = 0; i < 10; i++) {
                            try (var held = lock.acquire()) {
                                inside[0]++;
                                maxInside[0] = Math.max(maxInside[0], inside[0]);
                                Async.yieldNow();
                                inside[0]--;
                            }
                            queue.put(base + i);
                        }
                    }));
                }
                Task<Void> consumer = Async.createTask(() -> {
                    for (int i = 0; i < 50; i++) {
                        received.add(queue.get());
                    }
                });
                Async.gather(workers);
                consumer.await();
            });
            assertThat(maxInside[0]).as("seed %d: one holder at a time", seed).isEqualTo(1);
            assertThat(received).as("seed %d", seed).hasSize(50).doesNotHaveDuplicates();
        }
    }
}
