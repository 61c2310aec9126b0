package dev.simmer.benchmarks;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;
import dev.simmer.Task;
import dev.simmer.sync.Lock;
import dev.simmer.sync.Queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every workload of the suite as a Simmer program, each inside one {@code Async.run} on the
 * system clock. The same code runs on both engines: the fork's flags pick the engine.
 * Each method returns a value derived from the work so the JIT cannot drop it.
 */
final class SimmerPeer {
    private static final Integer X = 1;
    private static final AsyncCallable<Integer> EMPTY = () -> X;

    private SimmerPeer() {
    }

    /** Two tasks each calling {@code Async.yieldNow()} {@code roundTrips} times. */
    static int yieldRoundTrip(int roundTrips) throws Exception {
        AsyncCallable<Integer> yielder = () -> {
            for (int i = 0; i < roundTrips; i++) {
                Async.yieldNow();
            }
            return roundTrips;
        };
        return Async.run(() -> {
            Task<Integer> a = Async.createTask(yielder);
            Task<Integer> b = Async.createTask(yielder);
            return a.await() + b.await();
        });
    }

    /** {@code Async.createTask(() -> x).await()}, {@code tasks} times in a row, from the main task. */
    static int createAwait(int tasks) throws Exception {
        return Async.run(() -> {
            int sum = 0;
            for (int i = 0; i < tasks; i++) {
                sum += Async.createTask(EMPTY).await();
            }
            return sum;
        });
    }

    /** {@code gathers} times: {@code Async.gather} of {@code width} bodies returning a constant. */
    static int gather(int width, int gathers) throws Exception {
        List<AsyncCallable<Integer>> bodies = Collections.nCopies(width, EMPTY);
        return Async.run(() -> {
            int total = 0;
            for (int g = 0; g < gathers; g++) {
                total += Async.gather(bodies).size();
            }
            return total;
        });
    }

    /** One task per delay, each {@code Async.sleep(d ms)}, all awaited. */
    static int timers(int[] delaysMillis) throws Exception {
        return Async.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>(delaysMillis.length);
            for (int d : delaysMillis) {
                Duration delay = Duration.ofMillis(d);
                tasks.add(Async.createTask(() -> Async.sleep(delay)));
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
            return tasks.size();
        });
    }

    /** Ping puts to one unbounded {@link Queue} and gets from another; pong echoes. */
    static int queuePingPong(int roundTrips) throws Exception {
        return Async.run(() -> {
            Queue<Integer> there = new Queue<>();
            Queue<Integer> back = new Queue<>();
            Task<Void> pong = Async.createTask(() -> {
                for (int i = 0; i < roundTrips; i++) {
                    back.put(there.get());
                }
            });
            int sum = 0;
            for (int i = 0; i < roundTrips; i++) {
                there.put(i);
                sum += back.get();
            }
            pong.await();
            return sum;
        });
    }

    /**
     * The calling task puts {@code items} items into a {@link Queue} of maxsize 1; a second
     * task takes them. Returns how many the consumer took.
     */
    static int boundedQueue(int items) throws Exception {
        return Async.run(() -> {
            Queue<Integer> queue = new Queue<>(1);
            Task<Integer> consumer = Async.createTask(() -> {
                int sum = 0;
                for (int i = 0; i < items; i++) {
                    sum += queue.get();
                }
                return sum;
            });
            for (int i = 0; i < items; i++) {
                queue.put(i);
            }
            return consumer.await();
        });
    }

    /** {@link Lock#acquire()} + {@link Lock#release()} {@code ops} times from one task: never contended. */
    static int lockUncontended(int ops) throws Exception {
        return Async.run(() -> {
            Lock lock = new Lock();
            int count = 0;
            for (int i = 0; i < ops; i++) {
                lock.acquire();
                count++;
                lock.release();
            }
            return count;
        });
    }

    /** {@code tasks} tasks, each {@code rounds} times: acquire, yield while holding it, release. */
    static int lockContended(int tasks, int rounds) throws Exception {
        return Async.run(() -> {
            Lock lock = new Lock();
            int[] count = new int[1];
            List<Task<Void>> all = new ArrayList<>(tasks);
            for (int t = 0; t < tasks; t++) {
                all.add(Async.createTask(() -> {
                    for (int r = 0; r < rounds; r++) {
                        lock.acquire();
                        try {
                            Async.yieldNow();
                            count[0]++;
                        } finally {
                            lock.release();
                        }
                    }
                }));
            }
            for (Task<Void> t : all) {
                t.await();
            }
            return count[0];
        });
    }

    /**
     * Starts {@code tasks} tasks that each sleep for an hour, lets them all suspend, and runs
     * {@code measure} on the loop thread while they are suspended; the loop then cancels them.
     */
    static void suspended(int tasks, Runnable measure) throws Exception {
        Async.run(() -> {
            List<Task<Void>> all = new ArrayList<>(tasks);
            for (int t = 0; t < tasks; t++) {
                all.add(Async.createTask(() -> Async.sleep(Duration.ofHours(1))));
            }
            Async.yieldNow(); // every task runs to its sleep
            measure.run();
            for (Task<Void> t : all) {
                t.cancel();
            }
        });
    }
}
