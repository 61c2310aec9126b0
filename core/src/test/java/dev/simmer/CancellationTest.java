package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CancellationTest {

    @Test
    void cancellingOneOfTwoTasksThatAwaitEachOtherEndsBoth() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<?>[] other = new Task<?>[1];
            Task<Void> a = Async.createTask("a", () -> {
                Async.yieldNow();
                other[0].await();
                return null;
            });
            Task<Void> b = Async.createTask("b", () -> {
                a.await();
                return null;
            });
            other[0] = b;
            Async.sleep(Duration.ofMillis(1)); // both now wait for each other
            assertThat(a.cancel("break the cycle")).isTrue(); // passes to b, which passes back: stops there
            for (Outcome<Void> o : Async.gatherSettled(List.of(a, b))) {
                log.add(o instanceof Outcome.Cancelled ? "cancelled" : "not cancelled");
            }
        });
        assertThat(log).containsExactly("cancelled", "cancelled");
    }

    @Test
    void aTimeoutBreaksACycleOfAwaitsAndIsReportedAsATimeout() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<?>[] b = new Task<?>[1];
            Task<Void> a = Async.createTask("a", () -> {
                Async.yieldNow();
                try {
                    Async.timeout(Duration.ofSeconds(1), () -> b[0].await());
                } catch (AsyncTimeoutException e) {
                    log.add("a: timed out, cancelling() = " + Async.currentTask().cancelling());
                }
                return null;
            });
            b[0] = Async.createTask("b", () -> a.await());
            a.await();
            log.add("b cancelled: " + b[0].isCancelled());
        });
        assertThat(log).containsExactly("a: timed out, cancelling() = 0", "b cancelled: true");
    }

    @Test
    void cancelDuringSleepThrowsAtTheSuspensionPointAndFinallyRuns() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    log.add("never");
                } catch (CancelledException e) {
                    log.add("cancelled at " + Loops.nowMillis() + " ms: " + e.getMessage());
                    throw e;
                } finally {
                    log.add("finally");
                }
            });
            Async.sleep(Duration.ofMillis(10));
            assertThat(t.cancel("stop")).isTrue();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class).hasMessage("stop");
            assertThat(t.isCancelled()).isTrue();
            assertThat(Loops.nowMillis()).isEqualTo(10);
        });
        assertThat(log).containsExactly("cancelled at 10 ms: stop", "finally");
    }

    @Test
    void cancelDuringYield() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> {
                s.expect(2);
                try {
                    Async.yieldNow();
                    s.unreachable();
                } catch (CancelledException e) {
                    s.expect(4);
                    throw e;
                }
            });
            s.expect(1);
            Async.yieldNow();
            s.expect(3);
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            s.finish(5);
        });
        s.assertFinished();
    }

    @Test
    void cancellingATaskThatAwaitsAnotherCancelsTheAwaitedOneAsInAsyncio() throws Exception {
        Loops.virtual(() -> {
            Task<Void> inner = Async.createTask(() -> Async.sleep(Duration.ofHours(1)));
            Task<Void> outer = Async.createTask(() -> {
                inner.await();
            });
            Async.yieldNow();
            outer.cancel();
            assertThatThrownBy(outer::await).isInstanceOf(CancelledException.class);
            assertThat(inner.isCancelled()).isTrue();
            assertThat(outer.isCancelled()).isTrue();
        });
    }

    @Test
    void cancellingATaskThatAwaitsAPromiseCancelsThePromise() throws Exception {
        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            Task<String> t = Async.createTask(p::await);
            Async.yieldNow();
            t.cancel("bye");
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class).hasMessage("bye");
            assertThat(p.isCancelled()).isTrue();
        });
    }

    @Test
    void aTaskCancelledBeforeItsFirstStepNeverRunsItsBody() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> {
                try {
                    log.add("body");
                } finally {
                    log.add("finally");
                }
            });
            assertThat(t.cancel()).isTrue();
            assertThat(t.isDone()).isFalse(); // asyncio: it ends cancelled on its first step
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(t.isCancelled()).isTrue();
        });
        assertThat(log).isEmpty();
    }

    @Test
    void finallyBlocksMaySuspendAfterCancellation() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    Async.sleep(Duration.ofMillis(500)); // cleanup that waits, e.g. closing a connection
                    log.add("closed at " + Loops.nowMillis() + " ms");
                }
            });
            Async.sleep(Duration.ofMillis(100));
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
        });
        assertThat(log).containsExactly("closed at 600 ms");
    }

    @Test
    void cancelOfADoneTaskReturnsFalse() throws Exception {
        Loops.virtual(() -> {
            Task<String> t = Async.createTask(() -> "done");
            t.await();
            assertThat(t.cancel()).isFalse();
            assertThat(t.isCancelled()).isFalse();
            assertThat(t.cancelling()).isZero();
        });
    }

    @Test
    void aTaskMayCatchItsCancellationAndCarryOn() throws Exception {
        String r = Loops.virtual(() -> {
            Task<String> t = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    assertThat(Async.currentTask().cancelling()).isEqualTo(1);
                    assertThat(Async.currentTask().uncancel()).isZero();
                }
                Async.sleep(Duration.ofMillis(1));
                return "survived";
            });
            Async.yieldNow();
            t.cancel();
            return t.await();
        });
        assertThat(r).isEqualTo("survived");
    }

    @Test
    void cancelRequestsAreCountedAndUncancelWithdrawsAPendingOne() throws Exception {
        Loops.virtual(() -> {
            Task<String> t = Async.createTask(() -> {
                Task<?> me = Async.currentTask();
                me.cancel();
                me.cancel();
                assertThat(me.cancelling()).isEqualTo(2);
                assertThat(me.uncancel()).isEqualTo(1);
                assertThat(me.uncancel()).isZero(); // the pending cancellation is dropped
                Async.yieldNow();                    // so this is not a cancellation any more
                return "not cancelled";
            });
            assertThat(t.await()).isEqualTo("not cancelled");
        });
    }

    @Test
    void aTaskThatCancelsItselfAndEndsWithoutSuspendingEndsCancelled() throws Exception {
        Loops.virtual(() -> {
            Task<String> t = Async.createTask(() -> {
                Async.currentTask().cancel();
                return "ignored";
            });
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(t.isCancelled()).isTrue();
        });
    }

    @Test
    void aWakeUpThatArrivesTogetherWithACancelStillCancels() throws Exception {
        Loops.virtual(() -> {
            List<String> log = new ArrayList<>();
            Task<Void> t = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofMillis(10));
                    log.add("woke normally");
                } catch (CancelledException e) {
                    log.add("cancelled");
                    throw e;
                }
            });
            // Both the timer (10 ms) and this callback (10 ms, set later) fire in the same pass:
            // the timer wakes the task first, then the cancel arrives before its step runs.
            Async.loop().callLater(Duration.ofMillis(10), () -> t.cancel());
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(log).containsExactly("cancelled");
        });
    }

    @Test
    void cancelledExceptionIsACancellationException() {
        assertThat(new CancelledException("m")).isInstanceOf(java.util.concurrent.CancellationException.class)
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void cancellingFromACallbackWorks() throws Exception {
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> Async.sleep(Duration.ofHours(1)));
            Async.loop().callLater(Duration.ofSeconds(10), t::cancel);
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(Loops.nowMillis()).isEqualTo(10_000);
        });
    }

    @Test
    void anUncancelAfterTheWaitWasCutShortStillDeliversTheCancellation() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> sleeper = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    log.add("slept an hour at " + Loops.nowMillis() + " ms");
                } catch (CancelledException e) {
                    log.add("cancelled at " + Loops.nowMillis() + " ms");
                }
            });
            Async.sleep(Duration.ofSeconds(1));
            sleeper.cancel();   // cuts the sleep short
            sleeper.uncancel(); // withdraws the request, but the sleep did not happen
            sleeper.await();
        });
        assertThat(log).containsExactly("cancelled at 1000 ms");
    }
    @Test
    void uncancelUndoesACancelThatArrivedAfterTheAwaitedPromiseCompleted() throws Exception {
        // asyncio's test_uncancel_resets_must_cancel: the wait had ended (the task was woken),
        // so the cancel only marked the task; withdrawing it leaves nothing to deliver.
        int r = Loops.virtual(() -> {
            Promise<Void> fut = Async.loop().createPromise();
            Task<Integer> t = Async.createTask(() -> {
                fut.await();
                return 42;
            });
            Async.yieldNow();
            fut.complete(null);
            assertThat(t.cancel()).isTrue();
            assertThat(t.uncancel()).isZero();
            return t.await();
        });
        assertThat(r).isEqualTo(42);
    }

    @Test
    void uncancelUndoesACancelThatArrivedDuringAYield() throws Exception {
        // asyncio.sleep(0) is a bare yield: nothing to cut short, so uncancel() undoes the request
        String r = Loops.virtual(() -> {
            Task<String>[] t = new Task[1];
            t[0] = Async.createTask(() -> {
                Async.yieldNow();
                return "carried on, cancelling() = " + t[0].cancelling();
            });
            Async.yieldNow(); // t now yields
            t[0].cancel();
            t[0].uncancel();
            return t[0].await();
        });
        assertThat(r).isEqualTo("carried on, cancelling() = 0");
    }

    @Test
    void aCancelThatArrivedAfterTheWakeUpIsStillDeliveredWithoutUncancel() throws Exception {
        Loops.virtual(() -> {
            Promise<Void> fut = Async.loop().createPromise();
            Task<Integer> t = Async.createTask(() -> {
                fut.await();
                return 42;
            });
            Async.yieldNow();
            fut.complete(null);
            t.cancel("late");
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class).hasMessage("late");
            assertThat(t.cancelling()).isEqualTo(1);
        });
    }
}
