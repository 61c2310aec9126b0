package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;
import dev.simmer.AsyncIterable;
import dev.simmer.Task;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import static dev.simmer.sync.SyncTesting.virtual;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of producers and consumers on bounded and unbounded queues of the three orders,
 * with random sleeps and random cancellations (many landing in the same pass as a hand-over
 * or a slot grant, since sleeps are whole milliseconds of virtual time). Invariants: every
 * item whose put returned normally is got exactly once or is still in the queue at the end;
 * no item whose put failed is ever got; the queue never holds more than maxsize; at the end
 * no waiter is left, nothing is unfinished once every item is marked done, and join returns.
 * Some consumers use {@code get()}, some {@code getNowait()}, some {@code consume()} loops
 * that are left early and closed.
 * Scale with {@code -Dsimmer.stress.scale=N}.
 */
class QueueStressTest {
    private static final int SCALE = Integer.getInteger("simmer.stress.scale", 1);
    private static final int PRODUCERS = 2000;
    private static final int[] MAXSIZES = {0, 1, 3, 16};

    private static final List<IntFunction<Queue<Integer>>> KINDS = List.of(
            Queue::new,
            LifoQueue::new,
            maxsize -> new PriorityQueue<>(maxsize, Comparator.comparingInt(i -> i % 7)));

    @Test
    void randomProducersAndConsumersWithRandomCancellation() throws Exception {
        for (long seed = 1; seed <= 2L * SCALE; seed++) {
            for (int kind = 0; kind < KINDS.size(); kind++) {
                for (int maxsize : MAXSIZES) {
                    runOnce(seed, kind, maxsize, false);
                }
            }
        }
    }

    @Test
    void randomShutdownInTheMiddle() throws Exception {
        for (long seed = 1; seed <= 2L * SCALE; seed++) {
            for (int kind = 0; kind < KINDS.size(); kind++) {
                runOnce(seed, kind, MAXSIZES[(int) (seed % MAXSIZES.length)], true);
            }
        }
    }

    /**
     * Cancels {@code victim} from a task that sleeps {@code millis} first, then yields
     * {@code yields} times. Its step runs in the same pass as the steps of the tasks waking at
     * that millisecond; after a yield it runs in the pass after them, just before the tasks they
     * handed an item or granted a slot to resume: exactly between a hand-over and the victim's
     * resumption.
     */
    private static void cancelLater(Supplier<Task<?>> victim, int millis, int yields, int[] stats, int slot) {
        Async.createTask(() -> {
            Async.sleep(Duration.ofMillis(millis));
            for (int i = 0; i < yields; i++) {
                Async.yieldNow();
            }
            Task<?> t = victim.get();
            if (t != null && t.cancel()) {
                stats[slot]++;
            }
        });
    }

    /** The task that has waited longest in {@code waiting} (the next to be served), if any. */
    private static Task<?> oldest(Set<Task<?>> waiting) {
        return waiting.isEmpty() ? null : waiting.iterator().next();
    }

    /** Runs {@code call} with the current task in {@code waiting}, in the order tasks start waiting. */
    private static <V> V tracked(Set<Task<?>> waiting, AsyncCallable<V> call) throws Exception {
        Task<?> me = Async.currentTask();
        waiting.add(me);
        try {
            return call.call();
        } finally {
            waiting.remove(me);
        }
    }

    private void runOnce(long seed, int kind, int maxsize, boolean shutDown) throws Exception {
        String run = "seed " + seed + ", kind " + kind + ", maxsize " + maxsize + ", shutdown " + shutDown;
        Random random = new Random(seed * 31 + kind * 7 + maxsize);
        virtual(() -> {
            Queue<Integer> q = KINDS.get(kind).apply(maxsize);
            Set<Integer> putOk = new HashSet<>();
            Set<Integer> putFailed = new HashSet<>();
            Set<Integer> got = new HashSet<>();
            int[] stats = new int[4]; // cancelled producers, cancelled consumers, shut-down puts, done marks
            Set<Task<?>> putting = new LinkedHashSet<>(); // tasks inside put(), oldest first
            Set<Task<?>> getting = new LinkedHashSet<>(); // tasks inside get(), oldest first

            Runnable checkBound = () -> {
                if (maxsize > 0) {
                    assertThat(q.size()).as("%s: size within maxsize", run).isLessThanOrEqualTo(maxsize);
                }
            };
            java.util.function.Consumer<Integer> record = item -> {
                assertThat(got.add(item)).as("%s: item %d got twice", run, item).isTrue();
                assertThat(putFailed).as("%s: got an item whose put failed", run).doesNotContain(item);
                q.taskDone();
                stats[3]++;
                checkBound.run();
            };

            List<Task<Void>> producers = new ArrayList<>();
            for (int i = 0; i < PRODUCERS; i++) {
                int item = i;
                int delay = random.nextInt(20);
                boolean nowait = random.nextInt(5) == 0;
                producers.add(Async.createTask(() -> {
                    try {
                        Async.sleep(Duration.ofMillis(delay));
                        if (nowait) {
                            try {
                                q.putNowait(item);
                            } catch (QueueFullException full) {
                                tracked(putting, () -> {
                                    q.put(item);
                                    return null;
                                });
                            }
                        } else {
                            tracked(putting, () -> {
                                q.put(item);
                                return null;
                            });
                        }
                    } catch (Throwable e) {
                        putFailed.add(item);
                        if (e instanceof QueueShutDownException) {
                            stats[2]++;
                            return;
                        }
                        throw e;
                    }
                    putOk.add(item);
                    checkBound.run();
                }));
                if (random.nextBoolean()) {
                    Task<Void> p = producers.get(i);
                    boolean head = random.nextBoolean(); // half aim at the putter about to be granted a slot
                    cancelLater(() -> head ? oldest(putting) : p, random.nextInt(150), random.nextInt(3), stats, 0);
                }
            }
            List<Task<Void>> consumers = new ArrayList<>();
            int consumerCount = random.nextBoolean() ? 200 : 20; // many waiting getters, or many waiting putters
            for (int i = 0; i < consumerCount; i++) {
                int pause = consumerCount > 100 ? random.nextInt(4) : 1 + random.nextInt(4); // few: slow, so putters wait
                int mode = random.nextInt(4);
                boolean nowait = mode == 0;
                int breakAfter = 1 + random.nextInt(5);
                Task<Void> c = Async.createTask(() -> {
                    if (mode == 3) { // consume(): loops left early and closed, then taken up again
                        while (true) {
                            int taken = 0;
                            try (AsyncIterable<Integer> items = q.consume()) {
                                for (int item : items) {
                                    record.accept(item);
                                    Async.sleep(Duration.ofMillis(pause));
                                    if (++taken == breakAfter) {
                                        break;
                                    }
                                }
                            }
                            if (taken < breakAfter) { // the loop ended: shut down and empty
                                assertThat(shutDown).as("%s: consume() ended only by shutdown", run).isTrue();
                                assertThat(q.isEmpty()).isTrue();
                                return;
                            }
                        }
                    }
                    try {
                        while (true) {
                            Integer item;
                            if (nowait) {
                                try {
                                    item = q.getNowait();
                                } catch (QueueEmptyException empty) {
                                    Async.sleep(Duration.ofMillis(1));
                                    continue;
                                }
                            } else {
                                item = tracked(getting, q::get);
                            }
                            record.accept(item);
                            Async.sleep(Duration.ofMillis(pause));
                        }
                    } catch (QueueShutDownException done) {
                        assertThat(shutDown).as("%s: shut down", run).isTrue();
                        assertThat(q.isEmpty()).isTrue();
                    }
                });
                consumers.add(c);
                if (random.nextInt(4) == 0) {
                    boolean head = random.nextBoolean(); // half aim at the getter about to be handed an item
                    cancelLater(() -> head ? oldest(getting) : c, random.nextInt(100), random.nextInt(3), stats, 1);
                }
            }
            if (shutDown) {
                Async.loop().callLater(Duration.ofMillis(5 + random.nextInt(15)), q::shutdown);
            }

            // Keep the queue moving until every producer has ended (consumers may all be cancelled).
            while (!producers.stream().allMatch(Task::isDone)) {
                Async.sleep(Duration.ofMillis(1));
                try {
                    record.accept(q.getNowait());
                } catch (QueueEmptyException | QueueShutDownException ignored) {
                    // nothing to take now
                }
            }
            for (Task<Void> c : consumers) {
                c.cancel();
            }
            for (Task<Void> c : consumers) {
                Async.gatherSettled(c::await);
            }
            List<Integer> remaining = new ArrayList<>();
            while (!q.isEmpty()) {
                remaining.add(q.getNowait());
                q.taskDone();
                stats[3]++;
            }

            Set<Integer> accounted = new HashSet<>(got);
            for (Integer r : remaining) {
                assertThat(accounted.add(r)).as("%s: item %d both got and still queued", run, r).isTrue();
            }
            assertThat(accounted).as("%s: every item put is got once or still queued", run).isEqualTo(putOk);
            assertThat(putOk.size() + putFailed.size()).as("%s: every producer ended: put or failed", run).isEqualTo(PRODUCERS);
            assertThat(stats[0]).as("%s: some producers were cancelled", run).isPositive();
            assertThat(q.getterCount()).as("%s: getters left", run).isZero();
            assertThat(q.putterCount()).as("%s: putters left", run).isZero();
            assertThat(q.unfinishedCount()).as("%s: unfinished", run).isZero();
            assertThat(stats[3]).isEqualTo(putOk.size());
            q.join(); // returns at once
            if (!shutDown) {
                assertThat(q.isFull()).isFalse();
            }
        });
    }
}
