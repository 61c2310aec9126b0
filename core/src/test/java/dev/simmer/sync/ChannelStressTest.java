package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.AsyncIterator;
import dev.simmer.CancelledException;
import dev.simmer.LoopGroup;
import dev.simmer.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Producers and consumers of one {@link Channel} spread over the loops of a group and over
 * plain threads, with random cancellations of waiting puts and gets (many landing just as a
 * slot or an item is granted), interrupts and timeouts of the blocking forms, and consume()
 * loops left early. Invariants: every item is delivered exactly once; each consumer sees each
 * producer's items in the order they were put; at the end no waiter and no grant is left.
 * Scale with {@code -Dsimmer.stress.scale=N}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ChannelStressTest {
    private static final int SCALE = Integer.getInteger("simmer.stress.scale", 1);
    private static final int LOOPS = 3;
    private static final int LOOP_PRODUCERS = 2 * LOOPS;
    private static final int THREAD_PRODUCERS = 2;
    private static final int ITEMS = 300 * SCALE; // per producer

    /** An item: who put it, and its place among that producer's items. */
    private record Item(int producer, int seq) {
    }

    @Test
    void loopsAndThreadsExchangeEveryItemOnceInOrderDespiteCancellations() throws Exception {
        for (int maxsize : new int[] {1, 3, 0}) {
            runOnce(maxsize, 1000L * maxsize + 17);
        }
    }

    private void runOnce(int maxsize, long seed) throws Exception {
        Channel<Item> ch = new Channel<>(maxsize);
        List<List<Item>> received = Collections.synchronizedList(new ArrayList<>());
        try (LoopGroup group = LoopGroup.start(LOOPS)) {
            List<CompletableFuture<?>> producers = new ArrayList<>();
            for (int p = 0; p < LOOP_PRODUCERS; p++) {
                int id = p;
                producers.add(group.loops().get(p % LOOPS).submit(() -> produceOnLoop(ch, id, seed)));
            }
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < THREAD_PRODUCERS; p++) {
                int id = LOOP_PRODUCERS + p;
                CompletableFuture<Void> done = new CompletableFuture<>();
                producers.add(done);
                threads.add(Thread.ofPlatform().name("producer-" + id).start(() -> {
                    try {
                        produceOnThread(ch, id, seed);
                        done.complete(null);
                    } catch (Throwable e) {
                        done.completeExceptionally(e);
                    }
                }));
            }
            List<CompletableFuture<List<Item>>> consumers = new ArrayList<>();
            for (int c = 0; c < LOOPS; c++) {
                int id = c;
                consumers.add(group.loops().get(c).submit(() -> consumeOnLoop(ch, id, seed)));
            }
            CompletableFuture<List<Item>> threadConsumer = new CompletableFuture<>();
            consumers.add(threadConsumer);
            threads.add(Thread.ofPlatform().name("consumer-thread").start(() -> {
                try {
                    threadConsumer.complete(consumeOnThread(ch, seed));
                } catch (Throwable e) {
                    threadConsumer.completeExceptionally(e);
                }
            }));

            for (CompletableFuture<?> p : producers) {
                p.get(5, TimeUnit.MINUTES);
            }
            ch.shutdown(); // consumers take what is left, then end
            for (CompletableFuture<List<Item>> c : consumers) {
                received.add(c.get(5, TimeUnit.MINUTES));
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        Set<Item> all = new HashSet<>();
        int total = 0;
        for (List<Item> mine : received) {
            int[] last = new int[LOOP_PRODUCERS + THREAD_PRODUCERS];
            java.util.Arrays.fill(last, -1);
            for (Item item : mine) {
                assertThat(item.seq()).as("maxsize %d: producer %d's items in order", maxsize, item.producer())
                        .isGreaterThan(last[item.producer()]);
                last[item.producer()] = item.seq();
                all.add(item);
                total++;
            }
        }
        int expected = (LOOP_PRODUCERS + THREAD_PRODUCERS) * ITEMS;
        assertThat(total).as("maxsize %d: deliveries", maxsize).isEqualTo(expected);
        assertThat(all).as("maxsize %d: distinct items", maxsize).hasSize(expected);
        assertThat(ch.waiterCounts()).containsExactly(0, 0, 0, 0);
        assertThat(ch.size()).isZero();
    }

    /** Puts its items in order; each put runs in a child task that is cancelled at random, and retried then. */
    private static Void produceOnLoop(Channel<Item> ch, int id, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + id);
        for (int seq = 0; seq < ITEMS; ) {
            Item item = new Item(id, seq);
            Task<Void> put = Async.createTask(() -> ch.put(item));
            if (rnd.nextInt(4) == 0) {
                yieldSome(rnd);
                put.cancel();
            }
            try {
                put.await();
                seq++;
            } catch (CancelledException notPut) {
                // the item did not move: put it again
            }
        }
        return null;
    }

    /** Puts its items in order with the blocking forms, some with short timeouts (retried). */
    private static void produceOnThread(Channel<Item> ch, int id, long seed) throws InterruptedException {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + id);
        for (int seq = 0; seq < ITEMS; ) {
            Item item = new Item(id, seq);
            try {
                if (rnd.nextBoolean()) {
                    ch.putBlocking(item);
                } else {
                    ch.putBlocking(item, Duration.ofNanos(rnd.nextInt(50_000)));
                }
                seq++;
            } catch (QueueFullException timedOut) {
                // not put: again
            }
        }
    }

    /**
     * Consumer {@code id} on a loop: gets in child tasks cancelled at random, or (every third
     * consumer) consume() loops left early now and then.
     */
    private static List<Item> consumeOnLoop(Channel<Item> ch, int id, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed * 77 + id);
        List<Item> got = new ArrayList<>();
        if (id % 3 == 2) {
            while (true) {
                try (AsyncIterator<Item> it = ch.consume().iterator()) {
                    int take = rnd.nextInt(20);
                    while (take-- > 0 && it.hasNext()) {
                        got.add(it.next());
                    }
                    if (!it.hasNext()) { // reserves one, given back by close()
                        return got;
                    }
                }
            }
        }
        while (true) {
            Task<Item> get = Async.createTask(ch::get);
            if (rnd.nextInt(3) == 0) {
                yieldSome(rnd);
                get.cancel();
            }
            try {
                got.add(get.await());
            } catch (CancelledException tookNothing) {
                // nothing moved
            } catch (QueueShutDownException end) {
                return got;
            }
        }
    }

    /** A plain thread's consumer: blocking gets, some with short timeouts, some interrupted. */
    private static List<Item> consumeOnThread(Channel<Item> ch, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 101);
        List<Item> got = new ArrayList<>();
        while (true) {
            try {
                if (rnd.nextInt(10) == 0) {
                    Thread.currentThread().interrupt(); // the wait, if any, ends at once
                }
                Item item = rnd.nextBoolean() ? ch.getBlocking() : ch.getBlocking(Duration.ofNanos(rnd.nextInt(50_000)));
                got.add(item);
            } catch (InterruptedException | QueueEmptyException tookNothing) {
                // nothing moved
            } catch (QueueShutDownException end) {
                return got;
            } finally {
                Thread.interrupted();
            }
        }
    }

    private static void yieldSome(SplittableRandom rnd) {
        for (int k = rnd.nextInt(3); k > 0; k--) {
            Async.yieldNow();
        }
    }
}
