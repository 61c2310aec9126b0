package dev.simmer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskTest {

    @Test
    void aDumpShowsWhereEachTaskWaitsFromTheSimmerCallItWaitsIn() throws Exception {
        String dump = Loops.virtual(() -> {
            Async.createTask("sleeper", () -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            });
            Task<Void> awaiter = Async.createTask("awaiter", () -> {
                Async.loop().createPromise().await();
                return null;
            });
            Async.yieldNow();
            String d = Async.loop().dumpTasks();
            awaiter.cancel();
            for (Task<?> t : Async.loop().tasks()) {
                if (t != Async.currentTask()) {
                    t.cancel();
                }
            }
            return d;
        });
        assertThat(dump).contains("'sleeper': sleeping, 1 h left\n").contains("'awaiter': awaiting Promise");
        assertThat(dump.lines().filter(l -> l.startsWith("  '"))).hasSize(3); // main, sleeper, awaiter
        String[] lines = dump.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("  'sleeper'")) {
                assertThat(lines[i + 1].trim()).startsWith("at dev.simmer.Async.sleep(");
            }
            if (lines[i].startsWith("  'awaiter'")) {
                assertThat(lines[i + 1].trim()).startsWith("at dev.simmer.Completion.await(");
            }
        }
        assertThat(dump).doesNotContain("dev.simmer.internal").doesNotContain("Continuation.")
                .doesNotContain("LockSupport.park").doesNotContain("runBody").doesNotContain("VirtualThread");
    }

    @Test
    void createTaskStartsLazilyOnALaterPass() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            s.expect(1);
            Task<Void> t = Async.createTask(() -> s.expect(3));
            s.expect(2);
            t.await();
            s.finish(4);
        });
        s.assertFinished();
    }

    @Test
    void tasksRunInCreationOrderAndInterleaveAtSuspensionPoints() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> a = Async.createTask(() -> {
                log.add("a1");
                Async.yieldNow();
                log.add("a2");
            });
            Task<Void> b = Async.createTask(() -> {
                log.add("b1");
                Async.yieldNow();
                log.add("b2");
            });
            a.await();
            b.await();
        });
        assertThat(log).containsExactly("a1", "b1", "a2", "b2");
    }

    @Test
    void sleepersWakeByDeadline() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> alice = Async.createTask(() -> sayHello(log, "Alice", 2));
            Task<Void> bob = Async.createTask(() -> sayHello(log, "Bob", 1));
            Task<Void> charlie = Async.createTask(() -> sayHello(log, "Charlie", 3));
            Async.gather(alice, bob, charlie);
            log.add("at " + Loops.nowMillis() + " ms");
        });
        assertThat(log).containsExactly("Hello, Bob!", "Hello, Alice!", "Hello, Charlie!", "at 3000 ms");
    }

    @Test
    void aTaskSleepsAgainAfterASleepCutShortAndSleepsKeepTheirArmingOrder() throws Exception {
        // A task's sleeps reuse one timer; while a cancelled sleep's timer waits in the heap to
        // be dropped, the next sleep gets another. Equal deadlines fire in the order armed.
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> sleeper = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    log.add("cut short at " + Loops.nowMillis() + " ms");
                    Async.currentTask().uncancel();
                }
                Async.sleep(Duration.ofSeconds(2)); // armed at 1 s, due at 3 s
                log.add("sleeper at " + Loops.nowMillis() + " ms");
                Async.sleep(Duration.ofSeconds(1));
                log.add("sleeper at " + Loops.nowMillis() + " ms");
                Async.sleep(Duration.ofSeconds(1));
                log.add("sleeper at " + Loops.nowMillis() + " ms");
            });
            Task<Void> early = Async.createTask(() -> {
                Async.sleep(Duration.ofSeconds(3)); // armed at 0, due at 3 s: before the sleeper
                log.add("early at " + Loops.nowMillis() + " ms");
            });
            Async.sleep(Duration.ofSeconds(1));
            sleeper.cancel();
            Async.sleep(Duration.ofSeconds(1));
            Task<Void> late = Async.createTask(() -> {
                Async.sleep(Duration.ofSeconds(1)); // armed at 2 s, due at 3 s: after the sleeper
                log.add("late at " + Loops.nowMillis() + " ms");
            });
            Async.gather(sleeper, early, late);
        });
        assertThat(log).containsExactly("cut short at 1000 ms", "early at 3000 ms", "sleeper at 3000 ms",
                "late at 3000 ms", "sleeper at 4000 ms", "sleeper at 5000 ms");
    }

    private static void sayHello(List<String> log, String name, int seconds) {
        Async.sleep(Duration.ofSeconds(seconds));
        log.add("Hello, " + name + "!");
    }

    @Test
    void sleepZeroOrNegativeYieldsOnce() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Async.createTask(() -> log.add("other task"));
            Async.sleep(Duration.ZERO);
            log.add("after sleep(0)");
            Async.createTask(() -> log.add("other task 2"));
            Async.sleep(Duration.ofSeconds(-5));
            log.add("after negative sleep");
            assertThat(Async.loop().time()).isZero();
        });
        assertThat(log).containsExactly("other task", "after sleep(0)", "other task 2", "after negative sleep");
    }

    @Test
    void awaitReturnsTheResult() throws Exception {
        assertThat(Loops.virtual(() -> Async.createTask(() -> "value").await())).isEqualTo("value");
    }

    @Test
    void awaitRethrowsTheTasksOwnExceptionUnchanged() throws Exception {
        IOException boom = new IOException("boom");
        Throwable caught = Loops.virtual(() -> {
            Task<String> t = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(1));
                throw boom;
            });
            try {
                t.await();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        assertThat(caught).isSameAs(boom);
        assertThat(caught.getStackTrace()).anySatisfy(frame ->
                assertThat(frame.getMethodName()).contains("awaitRethrowsTheTasksOwnExceptionUnchanged"));
    }

    @Test
    void errorsAreKeptInTheTaskToo() throws Exception {
        AssertionError error = new AssertionError("an Error from a body");
        Throwable caught = Loops.virtual(() -> {
            Task<String> t = Async.createTask(() -> {
                throw error;
            });
            try {
                t.await();
                return null;
            } catch (AssertionError e) {
                return e;
            }
        });
        assertThat(caught).isSameAs(error);
    }

    @Test
    void resultAndExceptionWhileNotDoneAreIllegalState() throws Exception {
        Loops.virtual(() -> {
            Task<String> t = Async.createTask(() -> "x");
            assertThatThrownBy(t::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("not ended");
            assertThatThrownBy(t::exception).isInstanceOf(IllegalStateException.class);
            t.await();
            assertThat(t.result()).isEqualTo("x");
            assertThat(t.exception()).isNull();
        });
    }

    @Test
    void resultOfAFailedTaskRethrowsAndExceptionReturnsIt() throws Exception {
        Loops.virtual(() -> {
            IllegalArgumentException bad = new IllegalArgumentException("bad");
            Task<String> t = Async.createTask(() -> {
                throw bad;
            });
            Async.yieldNow();
            assertThat(t.isDone()).isTrue();
            assertThat(t.exception()).isSameAs(bad);
            assertThatThrownBy(t::result).isSameAs(bad);
        });
    }

    @Test
    void namesAreGivenOrNumbered() throws Exception {
        Loops.virtual(() -> {
            Task<Integer> named = Async.createTask("fetcher", () -> 1);
            Task<Integer> other = Async.createTask(() -> 2, "asyncio-order");
            Task<Integer> unnamed = Async.createTask(() -> 3);
            assertThat(named.name()).isEqualTo("fetcher");
            assertThat(other.name()).isEqualTo("asyncio-order");
            assertThat(unnamed.name()).matches("Task-\\d+");
            assertThat(Async.currentTask().name()).isEqualTo("main");
            assertThat(named.toString()).contains("fetcher");
            Async.gather(named, other, unnamed);
        });
    }

    @Test
    void currentTaskIsTheRunningTaskAndNullInACallback() throws Exception {
        Loops.virtual(() -> {
            Task<?>[] seen = new Task<?>[2];
            Task<Void> t = Async.createTask(() -> {
                seen[0] = Async.currentTask();
            });
            Async.loop().callSoon(() -> seen[1] = Async.currentTask());
            t.await();
            assertThat(seen[0]).isSameAs(t);
            assertThat(seen[1]).isNull();
        });
    }

    @Test
    void onDoneCallbacksRunOnALaterPassAlsoWhenAlreadyDone() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<String> t = Async.createTask(() -> "r");
            t.onDone(done -> log.add("first: " + done.isDone()));
            t.await();
            t.onDone(done -> log.add("second"));
            log.add("registered");
            Async.yieldNow();
        });
        assertThat(log).containsExactly("first: true", "registered", "second");
    }

    @Test
    void aRemovedDoneCallbackNeverRunsAndTheOthersRunInOrder() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            Promise<String> gate = Async.loop().createPromise();
            Task<String> t = Async.createTask(gate::await);
            t.onDone(done -> s.expect(3));
            DoneCallback removed = t.onDone(done -> s.unreachable());
            t.onDone(done -> s.expect(4));
            assertThat(t.callbackCount()).isEqualTo(3);
            s.expect(1);
            assertThat(removed.remove()).isTrue();
            assertThat(removed.isRemoved()).isTrue();
            assertThat(removed.remove()).isFalse(); // twice: nothing more to do
            assertThat(t.callbackCount()).isEqualTo(2); // taken off the task's list, not just muted
            Async.yieldNow();
            gate.complete("r");
            s.expect(2);
            t.await();
            Async.yieldNow();
            s.finish(5);
        });
        s.assertFinished();
    }

    @Test
    void aDoneCallbackRemovedAfterTheTaskEndedButBeforeItRanNeverRuns() throws Exception {
        // asyncio's remove_done_callback is too late here (the callback is already scheduled)
        Script s = new Script();
        Loops.virtual(() -> {
            Task<String> t = Async.createTask(() -> "r");
            t.await();
            DoneCallback late = t.onDone(done -> s.unreachable()); // queued for the next pass
            s.expect(1);
            assertThat(late.remove()).isTrue();
            Async.yieldNow();
            Async.yieldNow();
            s.finish(2);
        });
        s.assertFinished();
    }

    @Test
    void removingADoneCallbackThatRanDoesNothing() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            Task<String> t = Async.createTask(() -> "r");
            DoneCallback cb = t.onDone(done -> s.expect(2));
            s.expect(1);
            t.await();
            Async.yieldNow();
            assertThat(cb.remove()).isFalse();
            assertThat(cb.isRemoved()).isFalse();
            assertThat(cb.toString()).contains("ran");
            s.finish(3);
        });
        s.assertFinished();
    }

    @Test
    void aDoneCallbackMayRemoveAnotherOneOfTheSameTask() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> Async.sleep(Duration.ofMillis(5)));
            DoneCallback[] second = new DoneCallback[1];
            t.onDone(done -> {
                s.expect(2);
                assertThat(second[0].remove()).isTrue(); // already queued with this one: it must not run
            });
            second[0] = t.onDone(done -> s.unreachable());
            s.expect(1);
            t.await();
            Async.yieldNow();
            s.finish(3);
        });
        s.assertFinished();
    }

    @Test
    void toCompletableFutureCompletesForCodeOutsideTheLoop() throws Exception {
        CompletableFuture<String> ok = new CompletableFuture<>();
        CompletableFuture<String> failed = new CompletableFuture<>();
        Loops.virtual(() -> {
            Task<String> a = Async.createTask(() -> "done");
            Task<String> b = Async.createTask(() -> {
                throw new IOException("nope");
            });
            a.toCompletableFuture().whenComplete((v, e) -> ok.complete(v));
            b.toCompletableFuture().whenComplete((v, e) -> failed.completeExceptionally(e));
            Async.gatherSettled(a, b);
        });
        assertThat(ok.get(1, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(failed).isCompletedExceptionally();
        assertThatThrownBy(() -> failed.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void aTaskCannotAwaitItself() throws Exception {
        Throwable caught = Loops.virtual(() -> {
            try {
                Async.currentTask().await();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertThat(caught).hasMessageContaining("cannot await itself");
    }

    @Test
    void callingABodyDirectlyRunsItInlineInTheCallersTask() throws Exception {
        Loops.virtual(() -> {
            Task<?> outer = Async.currentTask();
            AsyncCallable<Task<?>> body = () -> {
                Async.sleep(Duration.ofMillis(1));
                return Async.currentTask();
            };
            assertThat(body.call()).isSameAs(outer);
        });
    }

    @Test
    void aHundredThousandTasksInOneRun() throws Exception {
        int n = Integer.getInteger("simmer.stress.tasks", 100_000);
        long[] sum = new long[1];
        Loops.virtual(() -> {
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int id = i;
                tasks.add(Async.createTask(() -> {
                    Async.sleep(Duration.ofMillis(id % 100));
                    return id;
                }));
            }
            for (Task<Integer> t : tasks) {
                sum[0] += t.await();
            }
            assertThat(Async.loop().tasks()).containsExactly(Async.currentTask());
        });
        assertThat(sum[0]).isEqualTo((long) n * (n - 1) / 2);
    }

    @Test
    void aSleepsTimeLeftIsShownInHumanUnits() {
        assertThat(Task.humanDuration(999)).isEqualTo("999 ns");
        assertThat(Task.humanDuration(1_500)).isEqualTo("1.5 \u00b5s");
        assertThat(Task.humanDuration(250_000_000)).isEqualTo("250 ms");
        assertThat(Task.humanDuration(1_500_000_000)).isEqualTo("1.5 s");
        assertThat(Task.humanDuration(59_960_000_000L)).isEqualTo("60 s");
        assertThat(Task.humanDuration(Duration.ofSeconds(125).toNanos())).isEqualTo("2 min 5 s");
        assertThat(Task.humanDuration(Duration.ofMinutes(90).toNanos())).isEqualTo("1 h 30 min");
        assertThat(Task.humanDuration(Duration.ofDays(3).toNanos())).isEqualTo("3 d");
    }
}
