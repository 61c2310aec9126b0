package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A child awaited as soon as it is made runs on its parent's thread. On the fast path every
 * task runs on the loop's thread anyway; on the threads engine the child runs as a guest on
 * top of its parent's frames (internal.ThreadEngine) instead of starting a virtual thread of
 * its own, and keeps that thread if it suspends, until it ends. Nothing else may change: every
 * test here checks asyncio's order on both engines, and the one place where the engines differ
 * (a cancellation that comes back round a cycle of awaits) is pinned down as documented.
 */
class GuestChildTest {

    @Test
    void aChildThatSuspendsRunsOnItsParentsThreadAndInAsyncioOrder() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Thread parentThread = Thread.currentThread();
            Task<Void> other = Async.createTask("other", () -> {
                for (int i = 0; i < 3; i++) {
                    log.add("other " + i + " at " + Loops.nowMillis());
                    Async.sleep(Duration.ofMillis(10));
                }
            });
            Async.yieldNow(); // other takes its first step
            Task<String> child = Async.createTask("child", () -> {
                log.add("child on parent's thread: " + (Thread.currentThread() == parentThread));
                Async.sleep(Duration.ofMillis(5));
                log.add("child at " + Loops.nowMillis());
                Async.sleep(Duration.ofMillis(10));
                log.add("child at " + Loops.nowMillis());
                return "done";
            });
            log.add("parent got " + child.await() + " at " + Loops.nowMillis());
            other.await();
        });
        assertThat(log).containsExactly("other 0 at 0", "child on parent's thread: true", "child at 5",
                "other 1 at 10", "child at 15", "parent got done at 15", "other 2 at 20");
    }

    @Test
    void cancellingTheParentWhileItsChildIsSuspendedPassesToTheChildWhoseResultTheParentGets() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<String> parent = Async.createTask("parent", () -> {
                Task<String> child = Async.createTask("child", () -> {
                    try {
                        Async.sleep(Duration.ofHours(1));
                        return "slept";
                    } catch (CancelledException e) {
                        log.add("child cancelled at " + Loops.nowMillis() + ": " + e.getMessage());
                        Async.sleep(Duration.ofMillis(5)); // cleaning up, then a result after all
                        return "cleaned up";
                    }
                });
                String got = child.await(); // as in asyncio: the cancellation went to the child
                log.add("parent got " + got + " at " + Loops.nowMillis() + ", cancelling " + Async.currentTask().cancelling());
                return got;
            });
            Async.sleep(Duration.ofMillis(10));
            assertThat(parent.cancel("stop")).isTrue();
            log.add("parent ends with " + parent.await());
        });
        assertThat(log).containsExactly("child cancelled at 10: stop", "parent got cleaned up at 15, cancelling 1",
                "parent ends with cleaned up");
    }

    @Test
    void aTimeoutAroundTheAwaitCancelsTheChildAndIsReportedAsATimeout() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<String>[] child = new Task[1];
            try {
                Async.timeout(Duration.ofMillis(10), () -> {
                    child[0] = Async.createTask("child", () -> {
                        try {
                            Async.sleep(Duration.ofHours(1));
                            return "slept";
                        } finally {
                            log.add("child's finally at " + Loops.nowMillis());
                        }
                    });
                    return child[0].await();
                });
            } catch (AsyncTimeoutException e) {
                log.add("timed out at " + Loops.nowMillis() + ", child cancelled: " + child[0].isCancelled());
            }
        });
        assertThat(log).containsExactly("child's finally at 10", "timed out at 10, child cancelled: true");
    }

    @Test
    void aChainOfAwaitedChildrenDeeperThanOneThreadHoldsStartsMoreThreads() throws Exception {
        Set<Thread> threads = new HashSet<>();
        int depth = 40;
        int sum = Loops.virtual(() -> level(depth, threads));
        assertThat(sum).isEqualTo(depth * (depth + 1) / 2);
        // The fast path runs every body on the loop's thread; the threads engine lets 16 guests
        // nest on one thread, so 41 levels take three threads (17 + 17 + 7).
        assertThat(threads).hasSize(Async.engine() == EngineKind.THREADS ? 3 : 1);
    }

    private static int level(int n, Set<Thread> threads) throws Exception {
        threads.add(Thread.currentThread());
        if (n == 0) {
            Async.sleep(Duration.ofMillis(1)); // every level is suspended at once
            threads.add(Thread.currentThread());
            return 0;
        }
        return n + Async.createTask(() -> level(n - 1, threads)).await();
    }

    @Test
    void aDumpShowsEachTaskItsOwnFramesOnly() throws Exception {
        String[] dump = new String[1];
        Loops.virtual(() -> {
            Task<Void> outer = Async.createTask("outer", GuestChildTest::outerBody);
            Async.sleep(Duration.ofMillis(1));
            dump[0] = Async.loop().dumpTasks();
            outer.cancel();
            Async.gatherSettled(List.of(outer));
        });
        String outer = block(dump[0], "outer");
        String inner = block(dump[0], "inner");
        assertThat(outer).contains("outerBody").doesNotContain("innerBody");
        assertThat(inner).contains("innerBody").doesNotContain("outerBody");
    }

    private static void outerBody() throws Exception {
        Async.createTask("inner", GuestChildTest::innerBody).await();
    }

    private static void innerBody() throws Exception {
        Async.sleep(Duration.ofHours(1));
    }

    /** The dump's block of the task named {@code name}: its line and the frames under it. */
    private static String block(String dump, String name) {
        int start = dump.indexOf("  '" + name + "'");
        assertThat(start).as("a block for %s in%n%s", name, dump).isNotNegative();
        int end = dump.indexOf("\n  '", start + 1);
        return dump.substring(start, end < 0 ? dump.length() : end + 1);
    }

    /**
     * p awaits a fresh child c, c a fresh child d, and d awaits p: a deadlock, which cancelling c
     * breaks. asyncio passes the request round the cycle (c to d to p) and, as it comes back to
     * c, wakes p. On the threads engine c and d run on p's thread, on top of p's frames, so p
     * cannot run before they end: p keeps the request and the task that passed it to p, d, is
     * woken instead. Both engines end all three cancelled; the order in which they end differs.
     */
    @Test
    void aCancellationRoundACycleThroughAGuestWakesTheNearestTaskThatCanRun() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<?>[] p = new Task<?>[1];
            p[0] = Async.createTask("p", () -> awaitLogged(log, "p", Async.createTask("c",
                    () -> awaitLogged(log, "c", Async.createTask("d", () -> awaitLogged(log, "d", p[0]))))));
            Async.sleep(Duration.ofMillis(1));
            Task<?> c = Async.loop().tasks().stream().filter(t -> t.name().equals("c")).findFirst().orElseThrow();
            assertThat(c.cancel("break the cycle")).isTrue();
            Async.gatherSettled(List.of(p[0]));
        });
        assertThat(log).containsExactly(Async.engine() == EngineKind.THREADS
                ? new String[] {"d cancelled", "c cancelled", "p cancelled"}
                : new String[] {"p cancelled", "d cancelled", "c cancelled"});
    }

    private static Object awaitLogged(List<String> log, String me, Task<?> awaited) throws Exception {
        try {
            return awaited.await();
        } catch (CancelledException e) {
            log.add(me + " cancelled");
            throw e;
        }
    }

    @Test
    void aChildThatFailsOnItsParentsThreadFailsTheAwaitWithItsOwnException() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> Loops.virtual(() -> {
            Async.createTask(() -> {
                Async.yieldNow();
                throw boom;
            }).await();
        })).isSameAs(boom);
    }
}
