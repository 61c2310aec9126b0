package dev.simmer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@link Promise}, and {@link Async#shield} (waiting without passing a cancellation on). */
class PromiseTest {

    // ------------------------------------------------------------------ ends once

    @Test
    void completesOnce() throws Exception {
        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            assertThat(p.isDone()).isFalse();

            assertThat(p.complete("first")).isTrue();
            assertThat(p.complete("second")).isFalse();
            assertThat(p.fail(new IOException("late"))).isFalse();
            assertThat(p.cancel()).isFalse();
            assertThat(p.cancel("late")).isFalse();

            assertThat(p.isDone()).isTrue();
            assertThat(p.isCancelled()).isFalse();
            assertThat(p.result()).isEqualTo("first");
            assertThat(p.exception()).isNull();
            assertThat(p.await()).isEqualTo("first");
        });
    }

    @Test
    void failsOnce() throws Exception {
        IOException first = new IOException("first");

        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();

            assertThat(p.fail(first)).isTrue();
            assertThat(p.fail(new IllegalStateException("second"))).isFalse();
            assertThat(p.complete("late")).isFalse();
            assertThat(p.cancel()).isFalse();

            assertThat(p.isDone()).isTrue();
            assertThat(p.isCancelled()).isFalse();
            assertThat(p.exception()).isSameAs(first);
            assertThatThrownBy(p::result).isSameAs(first);
            assertThatThrownBy(p::await).isSameAs(first);
        });
    }

    @Test
    void cancelsOnce() throws Exception {
        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();

            assertThat(p.cancel("first reason")).isTrue();
            assertThat(p.cancel("second reason")).isFalse();
            assertThat(p.complete("late")).isFalse();
            assertThat(p.fail(new IOException("late"))).isFalse();

            assertThat(p.isDone()).isTrue();
            assertThat(p.isCancelled()).isTrue();
            assertThatThrownBy(p::result).isInstanceOf(CancelledException.class).hasMessage("first reason");
            assertThatThrownBy(p::exception).isInstanceOf(CancelledException.class).hasMessage("first reason");
            assertThatThrownBy(p::await).isInstanceOf(CancelledException.class).hasMessage("first reason");
        });
    }

    @Test
    void aNullValueIsAValue() throws Exception {
        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            assertThat(p.complete(null)).isTrue();
            assertThat(p.complete("x")).isFalse();
            assertThat(p.await()).isNull();
        });
    }

    @Test
    void failingWithNullIsRejected() throws Exception {
        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            assertThatThrownBy(() -> p.fail(null)).isInstanceOf(NullPointerException.class);
        });
    }

    @Test
    void resultAndExceptionBeforeTheEndAreRefused() throws Exception {
        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();

            assertThatThrownBy(p::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("result()");
            assertThatThrownBy(p::exception).isInstanceOf(IllegalStateException.class).hasMessageContaining("exception()");

            p.complete("done"); // still usable afterwards
            assertThat(p.result()).isEqualTo("done");
        });
    }

    @Test
    void theLoopsCreatePromiseMakesAPendingPromise() throws Exception {
        String r = Loops.virtual(() -> {
            Promise<String> p = Async.loop().createPromise();
            assertThat(p.isDone()).isFalse();
            Async.loop().callSoon(() -> p.complete("made by the loop"));
            return p.await();
        });

        assertThat(r).isEqualTo("made by the loop");
    }

    // ------------------------------------------------------------------ waiting

    @Test
    void aCallbackCompletesItAndTheTaskWakes() throws Exception {
        long[] wokeAt = {-1};

        String r = Loops.virtual(() -> {
            Promise<String> answer = new Promise<>();
            Async.loop().callLater(Duration.ofSeconds(1), () -> answer.complete("42"));
            String v = answer.await();
            wokeAt[0] = Loops.nowMillis();
            return v;
        });

        assertThat(r).isEqualTo("42");
        assertThat(wokeAt[0]).isEqualTo(1000);
    }

    @Test
    void waitersWakeInTheOrderTheyStartedWaiting() throws Exception {
        List<String> log = new ArrayList<>();

        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            // Created a, b, c; they start waiting c, b, a.
            Task<?> a = Async.createTask(() -> {
                Async.yieldNow();
                Async.yieldNow();
                log.add("a waits");
                log.add("a got " + p.await());
                return null;
            });
            Task<?> b = Async.createTask(() -> {
                Async.yieldNow();
                log.add("b waits");
                log.add("b got " + p.await());
                return null;
            });
            Task<?> c = Async.createTask(() -> {
                log.add("c waits");
                log.add("c got " + p.await());
                return null;
            });
            Async.sleep(Duration.ofSeconds(1));
            p.complete("v");
            Async.gather(a, b, c);
        });

        assertThat(log).containsExactly("c waits", "b waits", "a waits", "c got v", "b got v", "a got v");
    }

    @Test
    void aFailureReachesEveryWaiterAsTheSameInstance() throws Exception {
        IOException boom = new IOException("boom");

        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            List<Task<Throwable>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(Async.createTask(() -> catchThrowable(p::await)));
            }
            Async.yieldNow();
            p.fail(boom);

            for (Task<Throwable> w : waiters) {
                assertThat(w.await()).isSameAs(boom);
            }
        });
    }

    @Test
    void cancellingThePromiseGivesEveryWaiterCancelledExceptionButTheyMayCarryOn() throws Exception {
        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            List<Task<String>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(Async.createTask(() -> {
                    try {
                        return p.await();
                    } catch (CancelledException e) {
                        Async.sleep(Duration.ofMillis(10)); // the task itself was not cancelled
                        return "caught: " + e.getMessage();
                    }
                }));
            }
            Async.yieldNow();
            p.cancel("called off");

            for (Task<String> w : waiters) {
                assertThat(w.await()).isEqualTo("caught: called off");
            }
        });
    }

    @Test
    void awaitingADonePromiseDoesNotSuspend() throws Exception {
        Script s = new Script();

        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            p.complete("ready");
            s.expect(1);
            Async.createTask(() -> {
                s.expect(3);
                return null;
            });

            assertThat(p.await()).isEqualTo("ready");
            s.expect(2); // the other task has not run yet: await returned at once

            Async.yieldNow();
            s.finish(4);
        });

        s.assertFinished();
    }

    @Test
    void awaitingAFailedPromiseThrowsWithoutSuspending() throws Exception {
        Script s = new Script();
        IOException boom = new IOException("boom");

        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            p.fail(boom);
            s.expect(1);
            Async.createTask(() -> {
                s.expect(3);
                return null;
            });

            assertThatThrownBy(p::await).isSameAs(boom);
            s.expect(2);

            Async.yieldNow();
            s.finish(4);
        });

        s.assertFinished();
    }

    @Test
    void aWaiterResumesOnThePassAfterTheCompletion() throws Exception {
        Script s = new Script();

        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            Task<String> waiter = Async.createTask(() -> {
                s.expect(2);
                String v = p.await();
                s.expect(5);
                return v;
            });
            s.expect(1);
            Async.yieldNow(); // the waiter starts waiting
            s.expect(3);
            p.complete("v");
            assertThat(waiter.isDone()).as("completing wakes the waiter; it does not run inside complete()").isFalse();
            s.expect(4);
            assertThat(waiter.await()).isEqualTo("v");
            s.finish(6);
        });

        s.assertFinished();
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void cancellingATaskThatAwaitsAPromiseCancelsThePromise() throws Exception {
        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            Task<String> t = Async.createTask(p::await);
            Async.yieldNow();

            assertThat(t.cancel("not needed")).isTrue();

            assertThat(p.isCancelled()).as("the cancel reached the promise at once, as in asyncio").isTrue();
            assertThatThrownBy(p::exception).isInstanceOf(CancelledException.class).hasMessage("not needed");
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class).hasMessage("not needed");
            assertThat(t.isCancelled()).isTrue();
        });
    }

    @Test
    void aTaskThatCancelledItselfGetsCancelledExceptionAtItsNextAwait() throws Exception {
        // asyncio: a task that calls cancel() on itself gets CancelledError at its next await, and
        // the future it awaits there is cancelled; it does not wait for that future first.
        long[] thrownAt = {-1};

        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            Async.loop().callLater(Duration.ofHours(1), () -> p.complete("an hour later"));
            Task<String> t = Async.createTask(() -> {
                Async.currentTask().cancel("by itself");
                try {
                    return p.await();
                } finally {
                    thrownAt[0] = Loops.nowMillis();
                }
            });

            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(thrownAt[0]).as("delivered at the await, not when the promise completed").isZero();
            assertThat(p.isCancelled()).isTrue();
        });
    }

    @Test
    void otherWaitersOfAPromiseCancelledThroughOneTaskSeeTheCancellation() throws Exception {
        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            Task<String> first = Async.createTask(p::await);
            Task<Throwable> second = Async.createTask(() -> catchThrowable(p::await));
            Async.yieldNow();

            first.cancel();

            assertThat(second.await()).isInstanceOf(CancelledException.class);
            assertThat(first.isCancelled()).isTrue();
        });
    }

    @Test
    void aTaskCancelledAfterItsPromiseCompletedButBeforeItResumedIsStillCancelled() throws Exception {
        // asyncio: the awaited future is already done, so cancel() cannot pass on; the task gets
        // CancelledError when it resumes, and the value is not delivered.
        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            Task<String> t = Async.createTask(p::await);
            Async.yieldNow();

            p.complete("too late");
            assertThat(t.cancel()).isTrue();

            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(p.result()).isEqualTo("too late");
        });
    }

    @Test
    void shieldKeepsTheTaskRunningWhenTheAwaiterIsCancelled() throws Exception {
        List<String> log = new ArrayList<>();

        Loops.virtual(() -> {
            Task<String> save = Async.createTask("save", () -> {
                Async.sleep(Duration.ofSeconds(2));
                log.add("saved at " + Loops.nowMillis());
                return "saved";
            });
            Task<String> awaiter = Async.createTask("awaiter", () -> {
                try {
                    return Async.shield(save);
                } catch (CancelledException e) {
                    log.add("awaiter cancelled at " + Loops.nowMillis());
                    throw e;
                }
            });
            Async.sleep(Duration.ofSeconds(1));

            awaiter.cancel();

            assertThatThrownBy(awaiter::await).isInstanceOf(CancelledException.class);
            assertThat(save.isDone()).as("the shielded task carries on").isFalse();
            assertThat(save.cancelling()).isZero();
            assertThat(save.await()).isEqualTo("saved");
        });

        assertThat(log).containsExactly("awaiter cancelled at 1000", "saved at 2000");
    }

    @Test
    void withoutShieldTheSameCancelReachesTheAwaitedTask() throws Exception {
        // The contrast to the test above: a plain await passes the cancellation on.
        Loops.virtual(() -> {
            Task<String> save = Async.createTask(() -> {
                Async.sleep(Duration.ofSeconds(2));
                return "saved";
            });
            Task<String> awaiter = Async.createTask(save::await);
            Async.sleep(Duration.ofSeconds(1));

            awaiter.cancel();

            assertThatThrownBy(awaiter::await).isInstanceOf(CancelledException.class);
            assertThat(save.isCancelled()).isTrue();
        });
    }

    @Test
    void shieldReturnsTheResultOrRethrowsTheFailureUnchanged() throws Exception {
        IOException boom = new IOException("boom");

        Loops.virtual(() -> {
            Task<String> ok = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(10));
                return "ok";
            });
            Task<String> failing = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(10));
                throw boom;
            });

            assertThat(Async.shield(ok)).isEqualTo("ok");
            assertThatThrownBy(() -> Async.shield(failing)).isSameAs(boom);
        });
    }

    @Test
    void shieldOfADoneTaskDoesNotSuspend() throws Exception {
        Script s = new Script();

        Loops.virtual(() -> {
            Task<String> done = Async.createTask(() -> "done");
            Async.yieldNow();
            s.expect(1);
            Async.createTask(() -> {
                s.expect(3);
                return null;
            });

            assertThat(Async.shield(done)).isEqualTo("done");
            s.expect(2);
            Async.yieldNow();
            s.finish(4);
        });

        s.assertFinished();
    }

    @Test
    void shieldingTheCurrentTaskIsRefused() throws Exception {
        Loops.virtual(() -> {
            @SuppressWarnings("unchecked")
            Task<Object> self = (Task<Object>) Async.currentTask();
            assertThatThrownBy(() -> Async.shield(self))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("itself");
        });
    }

    // ------------------------------------------------------------------ onDone

    @Test
    void onDoneCallbacksRunOnTheNextPassInTheOrderAdded() throws Exception {
        Script s = new Script();

        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            List<Promise<String>> seen = new ArrayList<>();
            p.onDone(done -> {
                s.expect(3);
                seen.add(done);
            });
            p.onDone(done -> s.expect(4));
            s.expect(1);

            p.complete("v");

            s.expect(2); // not inside complete()
            Async.loop().callSoon(() -> s.expect(5)); // scheduled after the completion: runs after the callbacks
            Async.yieldNow();
            assertThat(seen).containsExactly(p);
            s.finish(6);
        });

        s.assertFinished();
    }

    @Test
    void onDoneOfADonePromiseRunsOnTheNextPassNotAtOnce() throws Exception {
        Script s = new Script();

        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            p.fail(new IOException("already failed"));
            s.expect(1);
            Async.loop().callSoon(() -> s.expect(3));

            p.onDone(done -> {
                s.expect(4);
                assertThat(done.exception()).hasMessage("already failed");
            });

            s.expect(2);
            Async.yieldNow();
            s.finish(5);
        });

        s.assertFinished();
    }

    @Test
    void onDoneRunsForEveryEnding() throws Exception {
        List<String> log = new ArrayList<>();

        Loops.virtual(() -> {
            Promise<String> ok = new Promise<>();
            Promise<String> failed = new Promise<>();
            Promise<String> cancelled = new Promise<>();
            ok.onDone(p -> log.add("ok " + p.isDone()));
            failed.onDone(p -> log.add("failed " + p.exception().getMessage()));
            cancelled.onDone(p -> log.add("cancelled " + p.isCancelled()));

            ok.complete("v");
            failed.fail(new IOException("io"));
            cancelled.cancel();
            Async.yieldNow();
        });

        assertThat(log).containsExactly("ok true", "failed io", "cancelled true");
    }

    @Test
    void anOnDoneCallbackThatThrowsIsReportedAndTheOthersStillRun() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        IllegalStateException oops = new IllegalStateException("oops");
        boolean[] secondRan = new boolean[1];

        Loops.recording(reports).run(() -> {
            Promise<String> p = new Promise<>();
            p.onDone(done -> {
                throw oops;
            });
            p.onDone(done -> secondRan[0] = true);
            p.complete("v");
            Async.yieldNow();
        });

        assertThat(secondRan[0]).isTrue();
        assertThat(reports).extracting(ErrorReport::exception).containsExactly(oops);
    }

    // ------------------------------------------------------------------ toCompletableFuture

    @Test
    void toCompletableFutureMirrorsTheValue() throws Exception {
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        AtomicReference<Thread> completedOn = new AtomicReference<>();

        CompletableFuture<String> future = Loops.virtual(() -> {
            Async.loop().callSoon(() -> loopThread.set(Thread.currentThread()));
            Promise<String> p = new Promise<>();
            CompletableFuture<String> f = p.toCompletableFuture();
            f.whenComplete((v, e) -> completedOn.set(Thread.currentThread()));
            assertThat(f).isNotDone();

            p.complete("value");
            Async.yieldNow();

            assertThat(f).isCompletedWithValue("value");
            return f;
        });

        assertThat(future).isCompletedWithValue("value");
        assertThat(completedOn.get()).as("completed on the loop thread").isSameAs(loopThread.get());
    }

    @Test
    void toCompletableFutureMirrorsTheFailureUnwrapped() throws Exception {
        IOException boom = new IOException("boom");

        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            CompletableFuture<String> f = p.toCompletableFuture();
            p.fail(boom);
            Async.yieldNow();

            assertThat(f).isCompletedExceptionally();
            assertThat(f.handle((v, e) -> e).join()).isSameAs(boom);
            assertThat(f.isCancelled()).isFalse();
        });
    }

    @Test
    void toCompletableFutureMirrorsTheCancellation() throws Exception {
        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            CompletableFuture<String> f = p.toCompletableFuture();
            p.cancel("withdrawn");
            Async.yieldNow();

            assertThat(f.isCancelled()).as("a CancelledException is a CancellationException").isTrue();
            assertThat(f.handle((v, e) -> e).join()).isInstanceOf(CancelledException.class).hasMessage("withdrawn");
            assertThatThrownBy(f::join).isInstanceOf(java.util.concurrent.CancellationException.class);
        });
    }

    @Test
    void toCompletableFutureOfADonePromiseIsDoneAtOnce() throws Exception {
        IOException boom = new IOException("boom");

        Loops.virtual(() -> {
            Promise<String> ok = new Promise<>();
            ok.complete("v");
            Promise<String> failed = new Promise<>();
            failed.fail(boom);
            Promise<String> cancelled = new Promise<>();
            cancelled.cancel();

            assertThat(ok.toCompletableFuture()).isCompletedWithValue("v");
            assertThat(failed.toCompletableFuture().handle((v, e) -> e).join()).isSameAs(boom);
            assertThat(cancelled.toCompletableFuture().handle((v, e) -> e).join()).isInstanceOf(CancelledException.class);
        });
    }

    @Test
    void cancellingTheCompletableFutureDoesNotCancelThePromise() throws Exception {
        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            CompletableFuture<String> f = p.toCompletableFuture();

            f.cancel(true);

            assertThat(p.isDone()).isFalse();
            p.complete("still fine");
            assertThat(p.await()).isEqualTo("still fine");
        });
    }

    @Test
    void anotherThreadCanWaitThroughToCompletableFuture() throws Exception {
        String r = Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            CompletableFuture<String> f = p.toCompletableFuture();
            CompletableFuture<String> back = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    back.complete(f.get(10, TimeUnit.SECONDS) + " (seen by a thread)");
                } catch (Exception e) {
                    back.completeExceptionally(e);
                }
            });
            // Not callLater: on virtual time the clock stands still while thread-side work (back) is in flight.
            Async.loop().callSoon(() -> p.complete("value"));
            return Async.await(back);
        });

        assertThat(r).isEqualTo("value (seen by a thread)");
    }

    // ------------------------------------------------------------------ unretrieved failures

    @Test
    void aFailureNobodyRetrievesIsReportedWhenTheLoopCloses() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        IOException lost = new IOException("lost");
        int[] reportsWhileRunning = {-1};

        Loops.recording(reports).run(() -> {
            Promise<String> p = new Promise<>();
            p.fail(lost);
            Async.sleep(Duration.ofSeconds(1));
            reportsWhileRunning[0] = reports.size();
        });

        assertThat(reportsWhileRunning[0]).as("reported when the loop closes, not before").isZero();
        assertThat(reports).hasSize(1);
        ErrorReport report = reports.get(0);
        assertThat(report.exception()).isSameAs(lost);
        assertThat(report.task()).isNull();
        assertThat(report.message()).contains("Promise").contains("nobody retrieved");
    }

    @Test
    void eachUnretrievedFailureIsReportedOnce() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        IOException a = new IOException("a");
        IllegalStateException b = new IllegalStateException("b");

        Loops.recording(reports).run(() -> {
            new Promise<String>().fail(a);
            new Promise<String>().fail(b);
        });

        assertThat(reports).extracting(ErrorReport::exception).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void aRetrievedFailureIsNotReported() throws Exception {
        List<ErrorReport> reports = Loops.reports();

        Loops.recording(reports).run(() -> {
            Promise<String> awaited = new Promise<>();
            Task<Throwable> waiter = Async.createTask(() -> catchThrowable(awaited::await));
            Async.yieldNow();
            awaited.fail(new IOException("awaited"));
            waiter.await();

            Promise<String> byResult = new Promise<>();
            byResult.fail(new IOException("result"));
            catchThrowable(byResult::result);

            Promise<String> byException = new Promise<>();
            byException.fail(new IOException("exception"));
            byException.exception();

            Promise<String> byFuture = new Promise<>();
            byFuture.toCompletableFuture();
            byFuture.fail(new IOException("future"));
            Async.yieldNow();

            Promise<String> awaitedWhenDone = new Promise<>();
            awaitedWhenDone.fail(new IOException("done"));
            catchThrowable(awaitedWhenDone::await);
        });

        assertThat(reports).isEmpty();
    }

    @Test
    void cancelledAndSucceededPromisesAreNotReported() throws Exception {
        List<ErrorReport> reports = Loops.reports();

        Loops.recording(reports).run(() -> {
            new Promise<String>().cancel("nobody cares");
            new Promise<String>().complete("nobody reads it");
            new Promise<String>(); // left pending
        });

        assertThat(reports).isEmpty();
    }

    // ------------------------------------------------------------------ misuse

    @Test
    void newPromiseOutsideALoopNamesTheCall() {
        assertThatThrownBy(Promise::new)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("new Promise()")
                .hasMessageContaining("Async.run");
    }

    @Test
    void completingFromAnotherThreadIsRefusedAndCallSoonThreadsafeIsTheWay() throws Exception {
        String r = Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            EventLoop loop = Async.loop();
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                Throwable t = catchThrowable(() -> p.complete("from a thread"));
                loop.callSoonThreadsafe(() -> p.complete("through the inbox")); // handed in before refused completes
                refused.complete(t);
            });

            assertThat(Async.await(refused))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Promise.complete")
                    .hasMessageContaining("callSoonThreadsafe");
            return p.await();
        });

        assertThat(r).isEqualTo("through the inbox");
    }

    @Test
    void aPromiseOfAClosedLoopIsRefused() throws Exception {
        AtomicReference<Promise<String>> old = new AtomicReference<>();
        Loops.virtual(() -> {
            old.set(new Promise<>());
        });

        Loops.virtual(() -> {
            assertThatThrownBy(() -> old.get().complete("x")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> old.get().await()).isInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void awaitingAPromiseFromAPlainCallbackIsRefused() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();

        Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            Async.loop().callSoon(() -> thrown.set(catchThrowable(p::await)));
            Async.yieldNow();
        });

        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a task");
    }
}
