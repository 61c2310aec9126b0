package dev.simmer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A hostile look at the packed kernel: one result field read by state (value, failure,
 * cancellation, a pending task's cancel message), a task's fiber re-armed as its sleep timer
 * (with a fresh timer while a cancelled arming waits in the heap), the context kept in one
 * field (with the one Context.run entered), cancellation requests counted in the flags' byte
 * (and beyond it at the loop), and the ready queue replaced after a burst. Runs on both engines.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a corrupted heap may loop for good
class KernelPackingTest {

    private static Runner virtual() {
        return Runner.create().virtualTime(true);
    }

    // ------------------------------------------------------------ end states, every reader

    /** Every reader of an ended task or promise, in one line (outside the loop, for the future). */
    private static String read(Completion<?> c, CompletableFuture<?> future) {
        StringBuilder out = new StringBuilder(c.stateName());
        try {
            Object v = c.result();
            out.append(" result=").append(show(v));
        } catch (Exception e) {
            out.append(" result!").append(show(e));
        }
        try {
            Throwable t = c.exception();
            out.append(" exception=").append(show(t));
        } catch (Exception e) {
            out.append(" exception!").append(show(e));
        }
        Outcome<?> o = c.outcome();
        out.append(" outcome=").append(switch (o) {
            case Outcome.Success<?> s -> "Success(" + show(s.value()) + ")";
            case Outcome.Failure<?> f -> "Failure(" + show(f.exception()) + ")";
            case Outcome.Cancelled<?> k -> "Cancelled(" + show(k.exception()) + ")";
        });
        assertThat(future).isDone();
        out.append(" future").append(future.handle((v, e) -> e != null ? "!" + show(e) : "=" + show(v)).getNow(null));
        out.append(" peek=").append(show(c.peekFailure()));
        out.append(" carried=").append(show(c.carried()));
        out.append(" message=").append(show(c.cancelMessage()));
        return out.toString();
    }

    /** A value or exception, with a cancellation's cause chain and suppressed ones spelt out. */
    private static String show(Object v) {
        if (v instanceof Throwable t) {
            String s = t.getClass().getSimpleName() + "(" + t.getMessage() + ")";
            for (Throwable x : t.getSuppressed()) {
                s += "+" + show(x);
            }
            if (t.getCause() != null) {
                s += "<-" + show(t.getCause());
            }
            return s;
        }
        return v instanceof String str ? "\"" + str + "\"" : String.valueOf(v);
    }

    @Test
    void aCancelledTasksMessageReachesEveryReaderWhicheverWayItEnded() throws Exception {
        Map<String, Completion<?>> ends = new LinkedHashMap<>();
        Map<String, CompletableFuture<?>> futures = new LinkedHashMap<>();
        List<String> log = new ArrayList<>();
        virtual().run(() -> {
            // asleep, cancelled twice: the latest request's message is the one delivered
            Task<Void> sleeper = Async.createTask(() -> Async.sleep(Duration.ofHours(1)));
            // cancelled before its first step: the body never runs
            Task<Void> early = Async.createTask(() -> {
                log.add("early ran");
            });
            early.cancel("early");
            // cancelled while running, and it never suspends afterwards
            Task<String> busy = Async.createTask(() -> {
                Async.currentTask().cancel("self");
                return "not this";
            });
            // its body throws a cancellation carrying a failure (a cleanup that failed)
            Task<Void> carrying = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    e.addSuppressed(new IOException("cleanup"));
                    throw e;
                }
            });
            // a request cut short by uncancel before the body runs: it runs and ends normally
            Task<String> withdrawn = Async.createTask(() -> "ran");
            withdrawn.cancel("withdrawn");
            withdrawn.uncancel();
            Async.sleep(Duration.ofSeconds(1));
            sleeper.cancel("first");
            sleeper.cancel("second");
            carrying.cancel("carry");
            for (Task<?> t : List.of(sleeper, early, busy, carrying, withdrawn)) {
                Async.wait(List.of(t), WaitMode.ALL_COMPLETED);
            }
            ends.put("sleeper", sleeper);
            ends.put("early", early);
            ends.put("busy", busy);
            ends.put("carrying", carrying);
            ends.put("withdrawn", withdrawn);
            ends.forEach((k, c) -> futures.put(k, c.toCompletableFuture()));
            Async.yieldNow(); // the futures are completed on the loop
        });
        assertThat(log).isEmpty();
        Map<String, String> seen = new LinkedHashMap<>();
        ends.forEach((k, c) -> seen.put(k, read(c, futures.get(k))));
        String second = "CancelledException(second)";
        assertThat(seen.get("sleeper")).isEqualTo("cancelled result!" + second + " exception!" + second
                + " outcome=Cancelled(" + second + ") future!" + second + " peek=" + second
                + " carried=null message=\"second\"");
        assertThat(seen.get("early")).isEqualTo("cancelled result!CancelledException(early)"
                + " exception!CancelledException(early) outcome=Cancelled(CancelledException(early))"
                + " future!CancelledException(early) peek=CancelledException(early) carried=null message=\"early\"");
        assertThat(seen.get("busy")).startsWith("cancelled result!CancelledException(self)").endsWith("message=\"self\"");
        String carried = "CancelledException(carry)+IOException(cleanup)";
        String outer = "CancelledException(carry)<-" + carried;
        assertThat(seen.get("carrying")).isEqualTo("cancelled result!" + outer + " exception!" + outer
                + " outcome=Cancelled(" + outer + ") future!" + outer + " peek=" + outer
                + " carried=" + carried + " message=\"carry\"");
        assertThat(seen.get("withdrawn")).isEqualTo("succeeded result=\"ran\" exception=null outcome=Success(\"ran\")"
                + " future=\"ran\" peek=null carried=null message=null");
    }

    @Test
    void aTaskThatSwallowsACancelEndsWithWhatItReturnsOrThrowsNotTheMessage() throws Exception {
        Map<String, Completion<?>> ends = new LinkedHashMap<>();
        Map<String, CompletableFuture<?>> futures = new LinkedHashMap<>();
        CancelledException asValue = new CancelledException("a value");
        virtual().run(() -> {
            // returns a String equal to the message, after uncancel
            Task<String> sameString = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    Async.currentTask().uncancel();
                    return e.getMessage();
                }
                return "slept";
            });
            // returns null without uncancel (cancelling() stays 1): null, not the message
            Task<String> nullValue = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    return null;
                }
                return "slept";
            });
            // returns a CancelledException as its value
            Task<CancelledException> exceptionValue = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    return asValue;
                }
                return null;
            });
            // fails after swallowing it
            Task<Void> fails = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    Async.sleep(Duration.ofSeconds(1)); // suspends again, then fails
                    throw new IllegalStateException("after " + e.getMessage());
                }
            });
            Async.sleep(Duration.ofSeconds(1));
            sameString.cancel("m");
            nullValue.cancel("n");
            exceptionValue.cancel("x");
            fails.cancel("f");
            Async.gatherSettled(sameString, nullValue, exceptionValue, fails);
            assertThat(nullValue.cancelling()).isEqualTo(1);
            assertThat(Loops.nowMillis()).isEqualTo(2_000);
            ends.put("sameString", sameString);
            ends.put("nullValue", nullValue);
            ends.put("exceptionValue", exceptionValue);
            ends.put("fails", fails);
            ends.forEach((k, c) -> futures.put(k, c.toCompletableFuture()));
            Async.yieldNow();
        });
        Map<String, String> seen = new LinkedHashMap<>();
        ends.forEach((k, c) -> seen.put(k, read(c, futures.get(k))));
        assertThat(seen.get("sameString")).isEqualTo("succeeded result=\"m\" exception=null outcome=Success(\"m\")"
                + " future=\"m\" peek=null carried=null message=null");
        assertThat(seen.get("nullValue")).isEqualTo("succeeded result=null exception=null outcome=Success(null)"
                + " future=null peek=null carried=null message=null");
        String x = "CancelledException(a value)";
        assertThat(seen.get("exceptionValue")).isEqualTo("succeeded result=" + x + " exception=null outcome=Success("
                + x + ") future=" + x + " peek=null carried=null message=null");
        assertThat(ends.get("exceptionValue").result()).isSameAs(asValue);
        assertThat(ends.get("exceptionValue").isCancelled()).isFalse();
        String f = "IllegalStateException(after f)";
        assertThat(seen.get("fails")).isEqualTo("failed result!" + f + " exception=" + f + " outcome=Failure(" + f
                + ") future!" + f + " peek=" + f + " carried=null message=null");
    }

    @Test
    void promisesEndStatesReadTheSameWhateverTheValue() throws Exception {
        Map<String, Promise<?>> ends = new LinkedHashMap<>();
        Map<String, CompletableFuture<?>> futures = new LinkedHashMap<>();
        List<String> awaited = new ArrayList<>();
        virtual().run(() -> {
            Promise<String> withMessage = new Promise<>();
            Promise<String> noMessage = new Promise<>();
            Promise<String> aString = new Promise<>();
            Promise<Object> anException = new Promise<>();
            Promise<Object> failed = new Promise<>();
            Promise<String> awaitedCancelled = new Promise<>();
            Task<Void> waiter = Async.createTask(() -> {
                try {
                    awaitedCancelled.await();
                } catch (CancelledException e) {
                    awaited.add("waiter: " + e.getMessage());
                    throw e;
                }
            });
            Async.yieldNow();
            waiter.cancel("from the waiter"); // passed on to the promise it awaits
            assertThat(withMessage.cancel("p")).isTrue();
            assertThat(withMessage.cancel("again")).isFalse();
            noMessage.cancel();
            aString.complete("p");
            anException.complete(new CancelledException("v"));
            failed.fail(new IOException("io"));
            assertThat(aString.cancel("late")).isFalse();
            try {
                waiter.await();
            } catch (CancelledException e) {
                awaited.add("main: " + e.getMessage());
            }
            ends.put("withMessage", withMessage);
            ends.put("noMessage", noMessage);
            ends.put("aString", aString);
            ends.put("anException", anException);
            ends.put("failed", failed);
            ends.put("awaitedCancelled", awaitedCancelled);
            ends.forEach((k, c) -> futures.put(k, c.toCompletableFuture()));
            Async.yieldNow();
        });
        assertThat(awaited).containsExactly("waiter: from the waiter", "main: from the waiter");
        Map<String, String> seen = new LinkedHashMap<>();
        ends.forEach((k, c) -> seen.put(k, read(c, futures.get(k))));
        assertThat(seen.get("withMessage")).startsWith("cancelled result!CancelledException(p) exception!")
                .endsWith("future!CancelledException(p) peek=CancelledException(p) carried=null message=\"p\"");
        assertThat(seen.get("noMessage")).startsWith("cancelled result!CancelledException(null)")
                .endsWith("carried=null message=null");
        assertThat(seen.get("aString")).isEqualTo("succeeded result=\"p\" exception=null outcome=Success(\"p\")"
                + " future=\"p\" peek=null carried=null message=null");
        assertThat(seen.get("anException")).isEqualTo("succeeded result=CancelledException(v) exception=null"
                + " outcome=Success(CancelledException(v)) future=CancelledException(v) peek=null carried=null message=null");
        assertThat(seen.get("failed")).isEqualTo("failed result!IOException(io) exception=IOException(io)"
                + " outcome=Failure(IOException(io)) future!IOException(io) peek=IOException(io) carried=null message=null");
        assertThat(seen.get("awaitedCancelled")).startsWith("cancelled result!CancelledException(from the waiter)")
                .endsWith("message=\"from the waiter\"");
    }

    @Test
    void aCancellationCarryingAFailureIsReportedOnlyIfNobodyRetrievesIt() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        Loops.recording(reports).run(() -> {
            for (String name : List.of("retrieved", "forgotten")) {
                Task<Void> t = Async.createTask(name, () -> {
                    try {
                        Async.sleep(Duration.ofHours(1));
                    } catch (CancelledException e) {
                        e.addSuppressed(new IOException(name + " cleanup"));
                        throw e;
                    }
                });
                Async.yieldNow();
                t.cancel(name);
                Async.wait(List.of(t), WaitMode.ALL_COMPLETED);
                if (name.equals("retrieved")) {
                    assertThatThrownBy(t::result).isInstanceOf(CancelledException.class).hasMessage("retrieved")
                            .cause().hasSuppressedException(new IOException("retrieved cleanup"));
                }
            }
        });
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).toString()).contains("forgotten").doesNotContain("'retrieved'");
    }

    // ------------------------------------------------------------ sleeps: the fiber as timer

    @Test
    void aSleepCancelledAndSleptAgainManyTimesNeverWakesEarlyOrLate() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            sleepsCutShort(virtual(), seed);
        }
    }

    @Test
    void sleepsCutShortKeepTheirDeadlinesUnderScheduleFuzzing() throws Exception {
        for (long seed = 1; seed <= 12; seed++) {
            sleepsCutShort(virtual().shuffleSeed(seed), seed);
        }
    }

    /**
     * Four sleepers sleep random lengths; a controller cancels them at random times, often at
     * the very tick a sleep comes due, and sometimes twice or with an uncancel. Every sleep that
     * returns does so exactly at its deadline; every cut-short one at a cancel's tick.
     */
    private static void sleepsCutShort(Runner runner, long seed) throws Exception {
        List<String> errors = new ArrayList<>();
        int[] counts = new int[3]; // slept through, cut short, cancels issued
        runner.run(() -> {
            Random random = new Random(seed);
            int sleepers = 4;
            long[] deadline = new long[sleepers];
            List<List<Long>> cancelledAt = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            boolean[] stop = new boolean[1];
            for (int i = 0; i < sleepers; i++) {
                int me = i;
                cancelledAt.add(new ArrayList<>());
                Random mine = new Random(seed * 31 + i);
                tasks.add(Async.createTask("sleeper-" + i, () -> {
                    while (!stop[0]) {
                        long ms = 1 + mine.nextInt(mine.nextBoolean() ? 5 : 2_000);
                        long start = Loops.nowMillis();
                        deadline[me] = start + ms;
                        try {
                            Async.sleep(Duration.ofMillis(ms));
                            if (Loops.nowMillis() != deadline[me]) {
                                errors.add("sleeper-" + me + " woke at " + Loops.nowMillis() + " for " + deadline[me]);
                            }
                            counts[0]++;
                        } catch (CancelledException e) {
                            long now = Loops.nowMillis();
                            if (!cancelledAt.get(me).contains(now) || now > deadline[me]) {
                                errors.add("sleeper-" + me + " cut short at " + now + " (deadline " + deadline[me]
                                        + ", cancels at " + cancelledAt.get(me) + ")");
                            }
                            counts[1]++;
                            while (Async.currentTask().cancelling() > 0) {
                                Async.currentTask().uncancel();
                            }
                        }
                    }
                }));
            }
            for (int round = 0; round < 400; round++) {
                int victim = random.nextInt(sleepers);
                long now = Loops.nowMillis();
                long wait = random.nextInt(3) == 0 ? Math.max(0, deadline[victim] - now) : random.nextInt(4);
                if (wait > 0) {
                    Async.sleep(Duration.ofMillis(wait));
                } else {
                    Async.yieldNow();
                }
                Task<Void> t = tasks.get(victim);
                cancelledAt.get(victim).add(Loops.nowMillis());
                t.cancel("round " + round);
                counts[2]++;
                switch (random.nextInt(4)) {
                    case 0 -> t.cancel("twice");
                    case 1 -> t.uncancel(); // withdrawn: delivered only if the wait was already cut short
                    default -> { }
                }
            }
            stop[0] = true;
            for (int i = 0; i < sleepers; i++) {
                cancelledAt.get(i).add(Loops.nowMillis());
                tasks.get(i).cancel("stop");
            }
            Async.gatherSettled(tasks);
            for (Task<Void> t : tasks) {
                assertThat(t.isDone()).isTrue();
            }
        });
        assertThat(errors).as("seed %d", seed).isEmpty();
        assertThat(counts[0]).as("seed %d: sleeps slept through", seed).isPositive();
        assertThat(counts[1]).as("seed %d: sleeps cut short", seed).isPositive();
    }

    @Test
    void thousandsOfLongSleepsCancelledLoseNothingAndFireNothingLate() throws Exception {
        int n = 5_000;
        List<String> errors = new ArrayList<>();
        int[] fired = new int[2]; // the survivors' long sleeps, the re-sleeps after a cancel
        virtual().run(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int me = i;
                long hours = 1 + i % 7;
                tasks.add(Async.createTask(() -> {
                    try {
                        Async.sleep(Duration.ofHours(hours));
                        if (Loops.nowMillis() != hours * 3_600_000) {
                            errors.add("task " + me + " woke at " + Loops.nowMillis());
                        }
                        fired[0]++;
                    } catch (CancelledException e) {
                        long at = Loops.nowMillis();
                        // sleeps again while its cancelled arming may still be in the heap
                        Async.sleep(Duration.ofMillis(1 + me % 100));
                        if (Loops.nowMillis() != at + 1 + me % 100) {
                            errors.add("task " + me + " re-slept until " + Loops.nowMillis() + " from " + at);
                        }
                        fired[1]++;
                    }
                }));
            }
            Async.sleep(Duration.ofSeconds(1));
            for (int i = 0; i < n; i++) {
                if (i % 50 != 0) {
                    tasks.get(i).cancel();
                    if (i % 500 == 1) {
                        Async.sleep(Duration.ofMillis(1)); // some re-sleeps fire while cancels go on
                    }
                }
            }
            Async.sleep(Duration.ofMillis(200)); // every re-sleep has ended
            assertThat(fired[1]).isEqualTo(n - n / 50);
            assertThat(Async.loop().timers.liveCount()).as("the survivors' sleeps alone are armed").isEqualTo(n / 50);
            Async.gather(tasks);
            assertThat(Loops.nowMillis()).isEqualTo(7 * 3_600_000);
            assertThat(Async.loop().timers.liveCount()).isZero();
        });
        assertThat(errors).isEmpty();
        assertThat(fired[0]).isEqualTo(n / 50);
        assertThat(fired[1]).isEqualTo(n - n / 50);
    }

    @Test
    void aCancelInThePassTheSleepCameDueCutsItShortUnlessTheWakeUpRanFirstAndItIsWithdrawn() throws Exception {
        List<String> log = new ArrayList<>();
        virtual().run(() -> {
            // callback armed before the sleep, same deadline: it runs first, the sleep's timer is
            // due but has not woken the task: the wait is cut short, uncancel cannot undo that
            Task<?>[] first = new Task<?>[1];
            Async.loop().callLater(Duration.ofSeconds(1), () -> {
                first[0].cancel("before");
                first[0].uncancel();
            });
            first[0] = Async.createTask("first", () -> {
                try {
                    Async.sleep(Duration.ofSeconds(1));
                    log.add("first slept at " + Loops.nowMillis());
                } catch (CancelledException e) {
                    log.add("first cut short at " + Loops.nowMillis() + ": " + e.getMessage());
                }
                Async.sleep(Duration.ofSeconds(1)); // its fiber left the heap when due: re-armed
                log.add("first again at " + Loops.nowMillis());
            });
            // callback armed after the sleep: the sleep's timer woke the task first; a cancel now
            // is delivered at the resumption, unless withdrawn
            Task<?>[] second = new Task<?>[2];
            second[0] = Async.createTask("second", () -> {
                try {
                    Async.sleep(Duration.ofSeconds(1));
                    log.add("second slept at " + Loops.nowMillis());
                } catch (CancelledException e) {
                    log.add("second cut short at " + Loops.nowMillis() + ": " + e.getMessage());
                }
            });
            second[1] = Async.createTask("third", () -> {
                try {
                    Async.sleep(Duration.ofSeconds(1));
                    log.add("third slept at " + Loops.nowMillis());
                } catch (CancelledException e) {
                    log.add("third cut short at " + Loops.nowMillis() + ": " + e.getMessage());
                }
            });
            Async.yieldNow(); // the three sleeps are armed, at 0, after the first callback
            Async.loop().callLater(Duration.ofSeconds(1), () -> {
                second[0].cancel("after");
                second[0].uncancel();
                second[1].cancel("after, kept");
            });
            Async.gather(first[0], second[0], second[1]);
        });
        assertThat(log).containsExactlyInAnyOrder("first cut short at 1000: before", "second slept at 1000",
                "third cut short at 1000: after, kept", "first again at 2000");
    }

    @Test
    void sleepsMixedWithTimeoutsScopesAndCallLaterHandlesKeepTheirTimes() throws Exception {
        List<String> log = new ArrayList<>();
        virtual().run(() -> {
            List<TimerHandle> handles = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                int at = i * 100;
                handles.add(Async.loop().callLater(Duration.ofMillis(at), () -> log.add("handle " + at)));
            }
            for (int i = 0; i < 20; i += 2) {
                handles.get(i).cancel(); // the odd hundreds never run
            }
            for (int round = 0; round < 5; round++) {
                try {
                    Async.timeout(Duration.ofMillis(150), () -> Async.sleep(Duration.ofMillis(400)));
                    log.add("not timed out");
                } catch (AsyncTimeoutException e) {
                    log.add("timed out at " + Loops.nowMillis());
                }
                Async.sleep(Duration.ofMillis(50)); // the fiber's arming was cancelled: a fresh timer or itself
                try {
                    log.add(Async.timeoutScope(Duration.ofMillis(100), scope -> {
                        Async.sleep(Duration.ofMillis(60));
                        scope.reschedule(Async.loop().time() + 30_000_000L); // earlier: at +90
                        try {
                            Async.sleep(Duration.ofMillis(60));
                            return "scope slept";
                        } finally {
                            log.add("scope finally at " + Loops.nowMillis() + (scope.expired() ? " (expired)" : ""));
                        }
                    }));
                } catch (AsyncTimeoutException e) {
                    log.add("scope timed out at " + Loops.nowMillis());
                }
            }
        });
        List<String> rounds = new ArrayList<>();
        List<String> handleLog = new ArrayList<>();
        for (String s : log) {
            (s.startsWith("handle") ? handleLog : rounds).add(s);
        }
        // round r starts at 0, 290, 580...: timed out at +150, then 50 ms, then the scope times out at +30 after 60
        List<String> expected = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            expected.add("timed out at " + (r * 290 + 150));
            expected.add("scope finally at " + (r * 290 + 290) + " (expired)");
            expected.add("scope timed out at " + (r * 290 + 290));
        }
        assertThat(rounds).as("a scope that expired raises, so its value is never logged").doesNotContain("scope slept");
        assertThat(rounds).containsExactlyElementsOf(expected);
        assertThat(handleLog).containsExactly("handle 200", "handle 400", "handle 600", "handle 800", "handle 1000",
                "handle 1200", "handle 1400");
    }

    // ------------------------------------------------------------ what a cancelled sleep keeps

    /** A task whose sleep of {@code sleep} is cut short (if {@code cancel}), ending with a large value; only a weak reference is kept. */
    private static java.lang.ref.WeakReference<Object> taskEndingWithALargeValue(Duration sleep, boolean cancel) throws Exception {
        // an earlier timer, as a busy loop nearly always has: a cancelled arming behind it is not at the top of the heap
        Async.loop().callLater(Duration.ofHours(12), () -> { });
        Task<Object> t = Async.createTask(() -> {
            try {
                Async.sleep(sleep);
            } catch (CancelledException e) {
                // swallowed: the task ends with a value
            }
            return new byte[16 << 20];
        });
        Async.yieldNow();
        if (cancel) {
            t.cancel();
        }
        return new java.lang.ref.WeakReference<>(t.await());
    }

    /** Whether {@code ref} is cleared after a few collections (the loop goes on meanwhile). */
    private static boolean collected(java.lang.ref.WeakReference<Object> ref) {
        for (int i = 0; i < 20 && ref.get() != null; i++) {
            System.gc();
        }
        return ref.get() == null;
    }

    @Test
    void aTaskThatSleptThroughIsNotKeptOnceItEnded() throws Exception {
        boolean[] gone = new boolean[1];
        virtual().run(() -> {
            java.lang.ref.WeakReference<Object> ref = taskEndingWithALargeValue(Duration.ofSeconds(1), false);
            Async.sleep(Duration.ofSeconds(1)); // the loop still runs, with other timers
            gone[0] = collected(ref);
        });
        assertThat(gone[0]).as("the ended task's value was collected").isTrue();
    }

    @Test
    void aTaskCancelledOutOfALongSleepIsNotKeptUntilThatSleepsDeadline() throws Exception {
        boolean[] gone = new boolean[1];
        virtual().run(() -> {
            java.lang.ref.WeakReference<Object> ref = taskEndingWithALargeValue(Duration.ofDays(1), true);
            Async.sleep(Duration.ofSeconds(1)); // the loop still runs; the cancelled day-long arming is due tomorrow
            gone[0] = collected(ref);
        });
        assertThat(gone[0]).as("the ended task's value was collected").isTrue();
    }

    // ------------------------------------------------------------ where a task keeps its body

    /** A task whose body holds a large array; only a weak reference to the array is kept. */
    private static Task<Integer> taskHoldingALargeBody(java.lang.ref.WeakReference<Object>[] ref) {
        byte[] large = new byte[16 << 20];
        ref[0] = new java.lang.ref.WeakReference<>(large);
        return Async.createTask(() -> large.length);
    }

    @Test
    void aTaskCancelledBeforeItRanLetsGoOfItsBodyAndSaysItNeverStarted() throws Exception {
        boolean[] gone = new boolean[1];
        List<String> said = new ArrayList<>();
        virtual().run(() -> {
            @SuppressWarnings("unchecked")
            java.lang.ref.WeakReference<Object>[] ref = new java.lang.ref.WeakReference[1];
            Task<Integer> t = taskHoldingALargeBody(ref);
            said.add(t.toString());
            said.add(Async.loop().dumpTasks().lines().filter(l -> l.contains(t.name())).findFirst().orElse("?"));
            t.cancel("before it ran");
            Async.yieldNow(); // its first step ends it without running the body
            said.add(t.toString());
            gone[0] = collected(ref[0]);
            assertThat(t.isCancelled()).isTrue();
        });
        assertThat(said.get(0)).endsWith("(new)");
        assertThat(said.get(1)).contains("not started");
        assertThat(said.get(2)).endsWith("(cancelled)");
        assertThat(gone[0]).as("the body of a task that never ran was collected while the task is kept").isTrue();
    }

    @Test
    void aStartedTaskNoLongerKeepsItsBodyWhereItKeepsWhatItWaitsOn() throws Exception {
        List<String> said = new ArrayList<>();
        virtual().run(() -> {
            Task<Integer> t = Async.createTask("yielder", () -> {
                Async.yieldNow(); // a yield waits on nothing
                Async.sleep(Duration.ofSeconds(5));
                return 1;
            });
            Async.yieldNow(); // t's first step runs and yields
            said.add(Async.loop().dumpTasks().lines().filter(l -> l.contains("yielder")).findFirst().orElse("?"));
            Async.sleep(Duration.ofSeconds(1));
            said.add(Async.loop().dumpTasks().lines().filter(l -> l.contains("yielder")).findFirst().orElse("?"));
            assertThat(t.cancel("while sleeping")).isTrue();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class).hasMessage("while sleeping");
        });
        assertThat(said.get(0)).as("a yield waits on nothing, not on the body").contains("ready to resume");
        assertThat(said.get(1)).contains("sleeping, 4 s left");
    }

    // ------------------------------------------------------------ what dumps and timelines say

    @Test
    void dumpsAndTimelinesGiveTheSleepTheTaskIsInEvenOnAFallbackTimer() throws Exception {
        Timeline timeline = Timeline.create();
        List<String> dumps = new ArrayList<>();
        virtual().timeline(timeline).run(() -> {
            Task<Void> sleeper = Async.createTask("sleeper", () -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    Async.currentTask().uncancel();
                }
                // the hour's cancelled arming is still in the heap: this sleep gets another timer
                Async.sleep(Duration.ofSeconds(30));
                Async.sleep(Duration.ofMillis(250));
            });
            Task<Void> forever = Async.createTask("forever", () -> Async.sleep(Duration.ofSeconds(Long.MAX_VALUE)));
            Async.yieldNow();
            dumps.add(line(Async.loop().dumpTasks(), "sleeper"));
            dumps.add(line(Async.loop().dumpTasks(), "forever"));
            Async.sleep(Duration.ofSeconds(1));
            sleeper.cancel();
            dumps.add(line(Async.loop().dumpTasks(), "sleeper")); // woken, not resumed yet: still in its sleep
            Async.yieldNow();
            dumps.add(line(Async.loop().dumpTasks(), "sleeper"));
            Async.sleep(Duration.ofSeconds(30));
            dumps.add(line(Async.loop().dumpTasks(), "sleeper"));
            forever.cancel();
            Async.gatherSettled(sleeper, forever);
        });
        assertThat(dumps).containsExactly("  'sleeper': sleeping, 1 h left", "  'forever': sleeping for good",
                "  'sleeper': sleeping, 59 min 59 s left", "  'sleeper': sleeping, 30 s left",
                "  'sleeper': sleeping, 250 ms left");
        List<String> sleeps = new ArrayList<>();
        for (Timeline.Event e : timeline.events()) {
            if (e.task().equals("sleeper") && e.kind() == Timeline.Kind.SUSPENDED) {
                sleeps.add(e.detail());
            }
        }
        assertThat(sleeps).containsExactly("sleeping until 3600s", "sleeping until 31s", "sleeping until 31.25s");
    }

    private static String line(String dump, String task) {
        for (String l : dump.split("\n")) {
            if (l.startsWith("  '" + task + "'")) {
                return l;
            }
        }
        return "(no line for " + task + " in:\n" + dump + ")";
    }

    // ------------------------------------------------------------ context values

    @Test
    void aTasksContextIsItsCreatorsValuesUntilItSetsAndRunNeverLeaksIntoIt() throws Exception {
        ContextVar<String> v = new ContextVar<>("v", "default");
        Map<String, String> seen = new LinkedHashMap<>();
        virtual().run(() -> {
            v.set("parent");
            ContextVar.Context other = ContextVar.Context.empty();
            // never touches a ContextVar itself: its context is the creator's values at creation
            Task<Void> idle = Async.createTask(() -> Async.sleep(Duration.ofSeconds(1)));
            // enters another context first thing, before any set of its own
            Task<Void> runsFirst = Async.createTask(() -> {
                other.run(() -> {
                    seen.put("runsFirst in run", v.get());
                    v.set("in other");
                    Async.sleep(Duration.ofSeconds(1));
                    seen.put("runsFirst in run after sleep", v.get());
                });
                seen.put("runsFirst after run", v.get());
                v.set("own");
                Async.sleep(Duration.ofSeconds(1));
            });
            // sets, then runs in another context, then sets again
            Task<Void> setsAround = Async.createTask(() -> {
                v.set("before");
                ContextVar.Context copy = ContextVar.copyContext();
                copy.run(() -> {
                    v.set("in copy");
                    Async.sleep(Duration.ofMillis(500));
                });
                seen.put("setsAround copy", copy.get(v, null));
                seen.put("setsAround after run", v.get());
                v.set("after");
            });
            v.set("parent changed"); // after the creations: the tasks keep what they inherited
            Async.sleep(Duration.ofMillis(500));
            // read from outside while runsFirst is inside other.run: its own context
            seen.put("runsFirst context mid-run", runsFirst.context().get(v, null));
            seen.put("idle context", idle.context().get(v, null));
            Async.gather(idle, runsFirst, setsAround);
            seen.put("runsFirst context", runsFirst.context().get(v, null));
            seen.put("setsAround context", setsAround.context().get(v, null));
            seen.put("other", other.get(v, null));
            seen.put("parent", v.get());
        });
        assertThat(seen).containsExactly(
                Map.entry("runsFirst in run", "default"),
                Map.entry("runsFirst context mid-run", "parent"),
                Map.entry("idle context", "parent"),
                Map.entry("setsAround copy", "in copy"),
                Map.entry("setsAround after run", "before"),
                Map.entry("runsFirst in run after sleep", "in other"),
                Map.entry("runsFirst after run", "parent"),
                Map.entry("runsFirst context", "own"),
                Map.entry("setsAround context", "after"),
                Map.entry("other", "in other"),
                Map.entry("parent", "parent changed"));
    }

    @Test
    void nestedRunsOfOtherContextsAndOfTheTasksOwnKeepEachLevelsValuesAndTheTasksContext() throws Exception {
        ContextVar<String> v = new ContextVar<>("v", "default");
        List<String> seen = new ArrayList<>();
        virtual().run(() -> {
            ContextVar.Context a = ContextVar.Context.empty();
            ContextVar.Context b = ContextVar.Context.empty();
            Task<Void> t = Async.createTask(() -> {
                v.set("own");
                ContextVar.Context own = Async.currentTask().context();
                a.run(() -> {
                    v.set("a");
                    b.run(() -> {
                        v.set("b");
                        Async.sleep(Duration.ofSeconds(1)); // the parent reads the task's context now
                        own.run(() -> { // the task's own context, entered from inside b
                            seen.add("own inside b: " + v.get());
                            v.set("own again");
                            Async.sleep(Duration.ofSeconds(1));
                        });
                        seen.add("b after own: " + v.get());
                    });
                    seen.add("a after b: " + v.get());
                });
                seen.add("after a: " + v.get());
                seen.add("same context: " + (Async.currentTask().context() == own));
            });
            Async.sleep(Duration.ofMillis(500));
            seen.add("outside, in b: " + t.context().get(v, null));
            Async.sleep(Duration.ofSeconds(1));
            seen.add("outside, in own inside b: " + t.context().get(v, null));
            t.await();
            seen.add("a " + a.get(v, null) + ", b " + b.get(v, null));
        });
        assertThat(seen).containsExactly(
                "outside, in b: own",
                "own inside b: own",
                "outside, in own inside b: own again",
                "b after own: b",
                "a after b: a",
                "after a: own again",
                "same context: true",
                "a a, b b");
    }

    // ------------------------------------------------------------ cancellation requests

    @Test
    void cancellationRequestsBeyondWhatTheFlagsHoldAreCountedOneByOneAndPerTask() throws Exception {
        List<String> seen = new ArrayList<>();
        virtual().run(() -> {
            Task<String> withdrawn = Async.createTask(() -> {
                Task<?> me = Async.currentTask();
                for (int i = 0; i < 6; i++) {
                    me.cancel();
                }
                List<Integer> left = new ArrayList<>(List.of(me.cancelling()));
                while (me.cancelling() > 0) {
                    left.add(me.uncancel());
                }
                left.add(me.uncancel()); // none left: stays 0
                seen.add("withdrawn: " + left);
                Async.yieldNow(); // not a cancellation any more
                return "not cancelled";
            });
            Task<Void> kept = Async.createTask(() -> Async.sleep(Duration.ofSeconds(1)));
            Task<Void> other = Async.createTask(() -> Async.sleep(Duration.ofSeconds(1)));
            Async.yieldNow();
            for (int i = 0; i < 5; i++) {
                kept.cancel("stop " + i);
            }
            other.cancel();
            seen.add("kept " + kept.cancelling() + ", other " + other.cancelling());
            seen.add("withdrawn: " + withdrawn.await());
            assertThatThrownBy(kept::await).isInstanceOf(CancelledException.class).hasMessage("stop 4");
            seen.add("kept after its end " + kept.cancelling() + ", uncancel " + kept.uncancel()
                    + ", then " + kept.cancelling());
        });
        assertThat(seen).containsExactly(
                "withdrawn: [6, 5, 4, 3, 2, 1, 0, 0]",
                "kept 5, other 1",
                "withdrawn: not cancelled",
                "kept after its end 5, uncancel 4, then 4");
    }

    // ------------------------------------------------------------ the ready queue after a burst

    @Test
    void aBurstOfTasksRunsInOrderAcrossTheReadyQueuesReplacement() throws Exception {
        int n = 10_000;
        List<Integer> log = new ArrayList<>();
        virtual().run(() -> {
            for (int round = 0; round < 3; round++) {
                List<Task<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int me = i;
                    tasks.add(Async.createTask(() -> {
                        log.add(me);
                        Async.yieldNow();
                        log.add(me);
                        Async.sleep(Duration.ofMillis(1));
                        log.add(me);
                    }));
                }
                Async.gather(tasks);
            }
        });
        assertThat(log).hasSize(9 * n);
        for (int k = 0; k < 9; k++) {
            List<Integer> part = log.subList(k * n, (k + 1) * n);
            for (int i = 0; i < n; i++) {
                if (part.get(i) != i) {
                    throw new AssertionError("slice " + k + ": at " + i + " ran " + part.get(i));
                }
            }
        }
    }
}
