package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Running ahead (EventLoop.runAhead): a task about to suspend when the next pass would run
 * exactly one entry runs that entry at once and, if it is then the only one ready, carries on
 * without suspending. It must never change what a program observes: every test here checks
 * the order asyncio would give, and the last one compares whole random schedules with running
 * ahead on and off.
 */
class RunAheadTest {

    @Test
    void awaitingAFreshChildThatEndsWithoutSuspendingSparesTheParentsSuspension() throws Exception {
        List<String> log = new ArrayList<>();
        long[] spared = new long[1];
        int[] onParentsThread = new int[1];
        int result = Loops.virtual(() -> {
            Thread parent = Thread.currentThread();
            int sum = 0;
            for (int i = 0; i < 100; i++) {
                int n = i;
                sum += Async.createTask(() -> {
                    if (Thread.currentThread() == parent) {
                        onParentsThread[0]++;
                    }
                    return n;
                }).await();
            }
            log.add("sum");
            spared[0] = Async.loop().runAheads;
            return sum;
        });
        assertThat(result).isEqualTo(4950);
        assertThat(log).containsExactly("sum");
        // The fast path runs each child ahead on the parent's stack; the threads engine runs
        // it on the parent's thread after the parent's step (a guest): no thread is made.
        assertThat(onParentsThread[0]).as("children run on the parent's thread").isEqualTo(100);
        assertThat(spared[0]).as("suspensions spared").isEqualTo(Async.engine() == EngineKind.THREADS ? 0 : 100);
    }

    @Test
    void twoTasksTakingTurnsSwitchOncePerTurn() throws Exception {
        // Two tasks taking turns through queues: each get finds the other task the only entry
        // ready; resumed ahead, it answers (which wakes the waiting task) and suspends, and the
        // waiting task carries on without suspending.
        long[] spared = new long[2];
        List<String> log = new ArrayList<>();
        int sum = Loops.virtual(() -> {
            dev.simmer.sync.Queue<Integer> there = new dev.simmer.sync.Queue<>();
            dev.simmer.sync.Queue<Integer> back = new dev.simmer.sync.Queue<>();
            Task<Void> pong = Async.createTask(() -> {
                for (int i = 0; i < 50; i++) {
                    int n = there.get();
                    log.add("pong " + n);
                    back.put(n);
                }
            });
            int total = 0;
            for (int i = 0; i < 50; i++) {
                there.put(i);
                total += back.get();
                log.add("ping " + i);
            }
            pong.await();
            spared[0] = Async.loop().runAheads;
            spared[1] = Async.loop().resumedAheadInVain;
            return total;
        });
        assertThat(sum).isEqualTo(1225);
        assertThat(log).hasSize(100).startsWith("pong 0", "ping 0", "pong 1", "ping 1").endsWith("pong 49", "ping 49");
        // The fast path runs pong's first step and each of its resumptions ahead: every get of
        // ping is spared its suspension. The threads engine never runs a task ahead (it hands off).
        boolean threads = Async.engine() == EngineKind.THREADS;
        assertThat(spared[0]).as("suspensions spared").isEqualTo(threads ? 0 : 50);
        assertThat(spared[1]).as("resumptions ahead in vain").isZero();
    }

    @Test
    void resumingAheadBacksOffWhenItDoesNotPay() throws Exception {
        // A chain of lock waiters: the releasing task wakes the oldest waiter and waits again;
        // that waiter, resumed ahead, wakes the next one, not the waiting task. The loop stops
        // resuming ahead after a few misses: 1, 2, 4, ... skipped between tries.
        int tasks = 20;
        int rounds = 200;
        long[] seen = new long[2];
        List<Integer> order = new ArrayList<>();
        Loops.virtual(() -> {
            dev.simmer.sync.Lock lock = new dev.simmer.sync.Lock();
            List<Task<Void>> all = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                int me = t;
                all.add(Async.createTask(() -> {
                    for (int r = 0; r < rounds; r++) {
                        lock.acquire();
                        try {
                            order.add(me);
                            Async.yieldNow();
                        } finally {
                            lock.release();
                        }
                    }
                }));
            }
            Async.gather(all);
            seen[0] = Async.loop().resumedAheadInVain;
            seen[1] = Async.loop().runAheads;
            return null;
        });
        assertThat(order).hasSize(tasks * rounds);
        for (int i = 0; i < order.size(); i++) { // the lock is fair: the holders take turns in order
            assertThat(order.get(i)).as("holder %d", i).isEqualTo(i % tasks);
        }
        if (Async.engine() == EngineKind.THREADS) {
            assertThat(seen[0]).isZero();
        } else {
            // Without the back-off every release would resume the next holder ahead in vain,
            // thousands of times; with it, a miss costs 1, 2, 4, ... up to 1,024 skips.
            assertThat(seen[0]).as("resumptions ahead in vain").isPositive().isLessThan(20);
        }
    }

    @Test
    void aYieldWithNothingElseReadyCarriesOn() throws Exception {
        long spared = Loops.virtual(() -> {
            for (int i = 0; i < 10; i++) {
                Async.yieldNow();
            }
            return Async.loop().runAheads;
        });
        assertThat(spared).isEqualTo(10);
    }

    @Test
    void whatTheChildSchedulesRunsBeforeTheParentResumes() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            s.expect(1);
            Task<String> child = Async.createTask(() -> {
                s.expect(2);
                Async.loop().callSoon(() -> s.expect(3));
                return "child";
            });
            assertThat(child.await()).isEqualTo("child");
            s.expect(4);
        });
        s.finish(5);
    }

    @Test
    void aTimerDueAtTheNextPassRunsBeforeTheParentResumes() throws Exception {
        entryOfTheNextPassRunsBetweenChildAndParent(then -> Async.loop().callLater(Duration.ZERO, then));
    }

    @Test
    void workHandedInThroughTheInboxRunsBeforeTheParentResumes() throws Exception {
        entryOfTheNextPassRunsBetweenChildAndParent(then -> Async.loop().callSoonThreadsafe(then));
    }

    /** The parent sets up {@code then} for the next pass, then awaits a fresh child: child, then, parent. */
    private static void entryOfTheNextPassRunsBetweenChildAndParent(java.util.function.Consumer<Runnable> setUp)
            throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            s.expect(1);
            setUp.accept(() -> s.expect(3));
            Task<Void> child = Async.createTask(() -> {
                s.expect(2);
                return null;
            });
            child.await();
            s.expect(4);
        });
        s.finish(5);
    }

    @Test
    void workTheChildHandsInRunsBeforeTheParentsNextStep() throws Exception {
        for (boolean runAhead : new boolean[] {false, true}) {
            List<String> log = new ArrayList<>();
            Runner.create().virtualTime(true).runAhead(runAhead).run(() -> {
                EventLoop loop = Async.loop();
                Async.createTask(() -> {
                    loop.callSoonThreadsafe(() -> log.add("h")); // into the inbox, from the loop thread
                    return null;
                }).await();
                log.add("A");
                Async.yieldNow();
                log.add("B");
            });
            assertThat(log).as("running ahead: %s", runAhead).containsExactly("A", "h", "B");
        }
    }

    @Test
    void aTimerTheChildMakesDueRunsBeforeTheParentsNextStep() throws Exception {
        for (boolean runAhead : new boolean[] {false, true}) {
            List<String> log = new ArrayList<>();
            TestClock clock = TestClock.create();
            Runner.create().testClock(clock).runAhead(runAhead).run(() -> {
                Async.loop().callLater(Duration.ofMillis(5), () -> log.add("timer"));
                Async.createTask(() -> {
                    clock.jump(Duration.ofMillis(10)); // time moves past the timer inside the child's step
                    return null;
                }).await();
                log.add("A");
                Async.yieldNow();
                log.add("B");
            });
            assertThat(log).as("running ahead: %s", runAhead).containsExactly("A", "timer", "B");
        }
    }

    @Test
    void aFatalErrorOfAnEntryRunAheadLeavesTheLoopNotTheWaitingTask() {
        // The error ends the loop; shutting down cancels main, which sees only that
        for (boolean runAhead : new boolean[] {false, true}) {
            List<String> log = new ArrayList<>();
            assertThatThrownBy(() -> Runner.create().virtualTime(true).runAhead(runAhead).run(() -> {
                Async.loop().callSoon(() -> {
                    throw new StackOverflowError("from a callback");
                });
                try {
                    Async.loop().createPromise().await();
                } catch (Throwable e) {
                    log.add("main caught " + e);
                }
            })).as("running ahead: %s", runAhead).isInstanceOf(StackOverflowError.class).hasMessage("from a callback");
            assertThat(log).as("running ahead: %s", runAhead).containsExactly("main caught dev.simmer.CancelledException");
        }
    }

    @Test
    void aCallbackTheChildAddsToItselfRunsAfterTheParentResumes() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            s.expect(1);
            Task<Void> child = Async.createTask(() -> {
                s.expect(2);
                Async.currentTask().onDone(t -> s.expect(4)); // registered after the parent's wait
                return null;
            });
            child.await();
            s.expect(3);
            Async.yieldNow();
            s.expect(5);
        });
        s.finish(6);
    }

    @Test
    void aChildThatCancelsItsAwaitingParentCancelsItselfAsInAsyncio() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<?> outer = Async.createTask(() -> {
                Task<?> parent = Async.currentTask();
                Task<String> child = Async.createTask(() -> {
                    parent.cancel("from the child"); // passes on to the child, which parent awaits
                    log.add("child body ends");
                    return "value";
                });
                try {
                    child.await();
                    log.add("not reached");
                } catch (CancelledException e) {
                    log.add("parent: " + e.getMessage() + ", child cancelled: " + child.isCancelled());
                    throw e;
                }
                return null;
            });
            assertThatThrownBy(outer::await).isInstanceOf(CancelledException.class);
        });
        assertThat(log).containsExactly("child body ends", "parent: from the child, child cancelled: true");
    }

    @Test
    void aChildsFailureReachesTheParentUnchanged() throws Exception {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Throwable caught = Loops.virtual(() -> {
            try {
                Async.createTask(() -> {
                    throw boom;
                }).await();
                return null;
            } catch (IllegalArgumentException e) {
                return e;
            }
        });
        assertThat(caught).isSameAs(boom);
    }

    @Test
    void aChildThatAwaitsItsParentIsStillADeadlock() {
        assertThatThrownBy(() -> Loops.virtual(() -> {
            Task<?> main = Async.currentTask();
            Async.createTask("child", () -> main.await()).await();
        })).isInstanceOf(DeadlockException.class).hasMessageContaining("'child'");
    }

    @Test
    void aChildThatSuspendsIsResumedByTheLoopLater() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<String> child = Async.createTask(() -> {
                log.add("child starts at " + Loops.nowMillis());
                Async.sleep(Duration.ofMillis(250));
                log.add("child ends at " + Loops.nowMillis());
                return "done";
            });
            log.add("parent got " + child.await() + " at " + Loops.nowMillis());
        });
        assertThat(log).containsExactly("child starts at 0", "child ends at 250", "parent got done at 250");
    }

    /** Random programs on virtual time: the same trace whether the loop runs ahead or not. */
    @Test
    void randomProgramsGiveTheSameScheduleWithAndWithoutRunningAhead() throws Exception {
        long spared = 0;
        for (long seed = 1; seed <= 30; seed++) {
            Trace off = trace(seed, false);
            Trace on = trace(seed, true);
            assertThat(on.events).as("seed %d", seed).isEqualTo(off.events);
            assertThat(off.spared).isZero();
            spared += on.spared;
        }
        assertThat(spared).as("running ahead happened at all").isGreaterThan(100);
    }

    private record Trace(List<String> events, long spared) {
    }

    private static Trace trace(long seed, boolean runAhead) throws Exception {
        Random random = new Random(seed);
        List<String> events = new ArrayList<>();
        long[] spared = new long[1];
        Runner.create().virtualTime(true).runAhead(runAhead).run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                tasks.add(Async.createTask("t" + i, program(random.nextLong(), events, 3)));
                if (random.nextBoolean()) {
                    Async.yieldNow();
                }
            }
            for (Outcome<Integer> o : Async.gatherSettled(tasks)) {
                events.add("outcome " + o);
            }
            spared[0] = Async.loop().runAheads;
        });
        return new Trace(events, spared[0]);
    }

    private static AsyncCallable<Integer> program(long seed, List<String> events, int depth) {
        return () -> {
            Random random = new Random(seed);
            String me = Async.currentTask().name();
            int total = 0;
            try {
                for (int step = 0; step < 6; step++) {
                    events.add(me + " step " + step + " at " + Async.loop().time());
                    switch (random.nextInt(depth > 0 ? 8 : 4)) {
                        case 0 -> Async.yieldNow();
                        case 1 -> Async.sleep(Duration.ofMillis(random.nextInt(3)));
                        case 2 -> Async.loop().callSoon(() -> events.add(me + " callback"));
                        case 3 -> Async.loop().callLater(Duration.ofMillis(random.nextInt(2)),
                                () -> events.add(me + " timer"));
                        case 4, 5 -> total += Async.createTask(me + "." + step, program(random.nextLong(), events,
                                depth - 1)).await();
                        case 6 -> {
                            Task<Integer> child = Async.createTask(me + "." + step, program(random.nextLong(), events,
                                    depth - 1));
                            child.onDone(t -> events.add(me + " saw " + t.name() + " end"));
                            if (random.nextBoolean()) {
                                child.cancel();
                            }
                            total += Async.gatherSettled(List.of(child)).get(0).isSuccess() ? 1 : 0;
                        }
                        default -> {
                            if (random.nextInt(10) == 0) {
                                throw new IllegalStateException(me + " fails");
                            }
                            total += Async.gather(() -> 1, () -> 2).size();
                        }
                    }
                }
                return total;
            } finally {
                events.add(me + " ends");
            }
        };
    }
}
