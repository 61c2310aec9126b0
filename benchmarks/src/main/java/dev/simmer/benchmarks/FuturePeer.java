package dev.simmer.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The callback peer: the workloads that have a natural form as {@link CompletableFuture}
 * chains, every stage on one single-thread executor (the executor's thread is the "loop").
 * A yield is a step re-submitted to the executor's queue; a task is {@code supplyAsync}; its
 * await is a dependent stage. Queues and locks have no single-threaded CompletableFuture
 * form and are not measured for this peer.
 */
final class FuturePeer implements AutoCloseable {
    private static final Integer X = 1;
    private static final Supplier<Integer> EMPTY = () -> X;

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    /** Two chains that each re-submit their next step {@code roundTrips} times, interleaving. */
    int yieldRoundTrip(int roundTrips) {
        CompletableFuture<Integer> a = yielder(roundTrips);
        CompletableFuture<Integer> b = yielder(roundTrips);
        return a.thenCombine(b, Integer::sum).join();
    }

    private CompletableFuture<Integer> yielder(int steps) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Runnable step = new Runnable() {
            int left = steps;

            @Override
            public void run() {
                if (left-- == 0) {
                    done.complete(steps);
                } else {
                    CompletableFuture.runAsync(this, executor);
                }
            }
        };
        executor.execute(step);
        return done;
    }

    /** {@code supplyAsync(() -> x)} then, in its dependent stage, the next one: {@code tasks} in a row. */
    int createAwait(int tasks) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        new Object() {
            int made;
            int sum;

            void next() {
                if (made++ == tasks) {
                    done.complete(sum);
                    return;
                }
                CompletableFuture.supplyAsync(EMPTY, executor).thenAccept(x -> {
                    sum += x;
                    next();
                });
            }
        }.next();
        return done.join();
    }

    /** {@code gathers} times: {@code width} {@code supplyAsync} stages, {@code allOf}, results read in order. */
    int gather(int width, int gathers) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        executor.execute(new Runnable() {
            int left = gathers;
            int total;

            @Override
            public void run() {
                if (left-- == 0) {
                    done.complete(total);
                    return;
                }
                @SuppressWarnings("unchecked")
                CompletableFuture<Integer>[] children = new CompletableFuture[width];
                for (int i = 0; i < width; i++) {
                    children[i] = CompletableFuture.supplyAsync(EMPTY, executor);
                }
                CompletableFuture.allOf(children).thenRun(() -> {
                    for (CompletableFuture<Integer> c : children) {
                        total += c.join();
                    }
                    run();
                });
            }
        });
        return done.join();
    }

    /** One future per delay, completed by the executor's scheduler after {@code d} ms; {@code allOf}. */
    int timers(int[] delaysMillis) {
        CompletableFuture<?>[] all = new CompletableFuture<?>[delaysMillis.length];
        CompletableFuture<Void> scheduled = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < all.length; i++) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                executor.schedule(() -> f.complete(null), delaysMillis[i], TimeUnit.MILLISECONDS);
                all[i] = f;
            }
        }, executor);
        scheduled.join();
        CompletableFuture.allOf(all).join();
        return all.length;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
