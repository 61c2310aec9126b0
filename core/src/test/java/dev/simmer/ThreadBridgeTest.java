package dev.simmer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@link Async#toThread}, {@link Async#await(CompletionStage)} and {@link EventLoop#callSoonThreadsafe}. */
class ThreadBridgeTest {

    /** How long a helper thread may block before the test gives up: only reached when something is broken. */
    private static final long GIVE_UP_SECONDS = 10;

    /** Scales the callSoonThreadsafe hammer: {@code -Dsimmer.stress.scale=10}. */
    private static final int STRESS_SCALE = Integer.getInteger("simmer.stress.scale", 1);

    private static Thread startThread(String name, ThrowingRunnable body) {
        return Thread.ofPlatform().name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                throw new RuntimeException(e);
            }
        });
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ================================================================== toThread

    @Test
    void toThreadReturnsTheResult() throws Exception {
        int result = Loops.virtual(() -> Async.toThread(() -> 6 * 7));

        assertThat(result).isEqualTo(42);
    }

    @Test
    void toThreadMayReturnNull() throws Exception {
        Object result = Loops.virtual(() -> Async.toThread(() -> null));

        assertThat(result).isNull();
    }

    @Test
    void toThreadRethrowsACheckedExceptionUnchanged() throws Exception {
        IOException io = new IOException("disk gone");

        Loops.virtual(() -> {
            Throwable thrown = catchThrowable(() -> Async.toThread(() -> {
                throw io;
            }));

            assertThat(thrown).isSameAs(io);
        });
    }

    @Test
    void toThreadRethrowsUncheckedExceptionsAndErrorsUnchanged() throws Exception {
        IllegalStateException ise = new IllegalStateException("bad state");
        AssertionError error = new AssertionError("an Error");

        Loops.virtual(() -> {
            assertThat(catchThrowable(() -> Async.toThread(() -> {
                throw ise;
            }))).isSameAs(ise);
            assertThat(catchThrowable(() -> Async.toThread(() -> {
                throw error;
            }))).isSameAs(error);
        });
    }

    @Test
    void toThreadFailureEndsTheTaskWithTheSameException() throws Exception {
        IOException io = new IOException("boom");

        Throwable thrown = catchThrowable(() -> Loops.virtual(() -> Async.toThread(() -> {
            throw io;
        })));

        assertThat(thrown).isSameAs(io);
    }

    @Test
    void toThreadRunsOnAThreadThatIsNotTheLoops() throws Exception {
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        AtomicReference<Thread> taskThread = new AtomicReference<>();
        AtomicReference<Thread> workerThread = new AtomicReference<>();
        AtomicReference<Throwable> loopCallOnWorker = new AtomicReference<>();

        Loops.virtual(() -> {
            Async.loop().callSoon(() -> loopThread.set(Thread.currentThread()));
            Async.yieldNow();
            taskThread.set(Thread.currentThread());

            Async.toThread(() -> {
                workerThread.set(Thread.currentThread());
                loopCallOnWorker.set(catchThrowable(Async::loop));
                return null;
            });
        });

        assertThat(workerThread.get()).isNotNull()
                .isNotSameAs(loopThread.get())
                .isNotSameAs(taskThread.get())
                .isNotSameAs(Thread.currentThread());
        assertThat(loopCallOnWorker.get())
                .as("the worker is not on the loop: loop-only calls are refused there")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Async.loop");
    }

    @Test
    void theLoopRunsOtherTasksWhileAWorkerBlocks() throws Exception {
        Script s = new Script();

        Loops.virtual(() -> {
            CountDownLatch released = new CountDownLatch(1);
            s.expect(1);
            Task<String> other = Async.createTask(() -> {
                s.expect(2);
                Async.yieldNow();
                Async.yieldNow();
                s.expect(3);
                released.countDown(); // only a task on the loop can release the worker
                return "other";
            });

            boolean workerWasReleased = Async.toThread(() -> released.await(GIVE_UP_SECONDS, TimeUnit.SECONDS));

            s.expect(4);
            assertThat(workerWasReleased).as("the loop ran another task while the worker blocked").isTrue();
            assertThat(other.await()).isEqualTo("other");
            s.finish(5);
        });

        s.assertFinished();
    }

    @Test
    void workersRunConcurrently() throws Exception {
        int n = 8;
        CyclicBarrier allThere = new CyclicBarrier(n);

        List<Integer> results = Loops.virtual(() -> {
            List<AsyncCallable<Integer>> bodies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                bodies.add(() -> Async.toThread(() -> {
                    allThere.await(GIVE_UP_SECONDS, TimeUnit.SECONDS); // breaks unless all n run at once
                    return id;
                }));
            }
            return Async.gather(bodies);
        });

        assertThat(results).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void theVirtualClockDoesNotJumpPastAWorkerInFlight() throws Exception {
        List<String> log = new ArrayList<>();

        Loops.virtual(() -> {
            Async.createTask(() -> {
                Async.sleep(Duration.ofHours(1));
                log.add("timer at " + Loops.nowMillis());
                return null;
            });
            Async.yieldNow();

            String r = Async.toThread(() -> {
                Thread.sleep(50); // slow blocking work; the hour-long timer must not fire meanwhile
                return "worker";
            });
            log.add(r + " done at " + Loops.nowMillis());
        });

        assertThat(log).containsExactly("worker done at 0");
    }

    @Test
    void aWorkerInFlightIsNotADeadlock() throws Exception {
        String r = Runner.create().run(() -> Async.toThread(() -> {
            Thread.sleep(100); // the loop has nothing else to do: it must wait, not report a deadlock
            return "finished";
        }));

        assertThat(r).isEqualTo("finished");
    }

    @Test
    void cancellingTheAwaitingTaskInterruptsTheWorker() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();

        Loops.virtual(() -> {
            Task<String> t = Async.createTask("blocked", () -> Async.toThread(() -> {
                started.complete(null);
                try {
                    new CountDownLatch(1).await(); // blocks until interrupted
                    return "never";
                } catch (InterruptedException e) {
                    interrupted.complete(true);
                    throw e;
                }
            }));
            Async.await(started);

            assertThat(t.cancel()).isTrue();

            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(t.isCancelled()).isTrue();
            assertThat(Async.await(interrupted.orTimeout(GIVE_UP_SECONDS, TimeUnit.SECONDS))).isTrue();
        });
    }

    @Test
    void theCancelledAwaiterDoesNotWaitForTheWorkerButRunDoes() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CountDownLatch letWorkerFinish = new CountDownLatch(1);
        AtomicBoolean workerDone = new AtomicBoolean();
        AtomicBoolean workerWasInterrupted = new AtomicBoolean();

        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> Async.toThread(() -> {
                started.complete(null);
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    workerWasInterrupted.set(true); // ignores the interruption and carries on
                }
                letWorkerFinish.await(GIVE_UP_SECONDS, TimeUnit.SECONDS);
                Thread.sleep(200); // still busy when the main task returns
                workerDone.set(true);
                return null;
            }));
            Async.await(started);
            t.cancel();

            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(workerDone).as("the awaiter got its cancellation at once").isFalse();
            letWorkerFinish.countDown();
        });

        assertThat(workerWasInterrupted).isTrue();
        assertThat(workerDone).as("Async.run returned only after the toThread threads were done").isTrue();
    }

    @Test
    void aLeftoverWorkerIsInterruptedAndWaitedForWhenRunEnds() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean workerDone = new AtomicBoolean();

        String r = Loops.virtual(() -> {
            Async.createTask("leftover", () -> Async.toThread(() -> {
                started.complete(null);
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                Thread.sleep(200);
                workerDone.set(true);
                return null;
            }));
            Async.await(started);
            return "main done";
        });

        assertThat(r).isEqualTo("main done");
        assertThat(interrupted).as("run's shutdown cancelled the task, which interrupted its worker").isTrue();
        assertThat(workerDone).isTrue();
    }

    // ================================================================== await(CompletionStage)

    @Test
    void awaitsAFutureCompletedLaterFromAnotherThread() throws Exception {
        Script s = new Script();
        CompletableFuture<String> future = new CompletableFuture<>();
        CountDownLatch taskIsWaiting = new CountDownLatch(1);
        Thread completer = startThread("completer", () -> {
            taskIsWaiting.await();
            future.complete("hello");
        });

        try {
            String value = Loops.virtual(() -> {
                s.expect(1);
                Async.loop().callSoon(() -> {
                    s.expect(2); // runs while the task is suspended in await
                    taskIsWaiting.countDown();
                });
                String v = Async.await(future);
                s.finish(3);
                return v;
            });

            assertThat(value).isEqualTo("hello");
            s.assertFinished();
        } finally {
            taskIsWaiting.countDown();
            completer.join();
        }
    }

    @Test
    void anAlreadyCompletedFutureReturnsWithoutSuspending() throws Exception {
        Script s = new Script();

        Loops.virtual(() -> {
            s.expect(1);
            Async.createTask(() -> {
                s.expect(3);
                return null;
            });

            assertThat(Async.await(CompletableFuture.completedFuture("now"))).isEqualTo("now");

            s.expect(2); // the other task has not run: await did not suspend
            Async.yieldNow();
            s.finish(4);
        });

        s.assertFinished();
    }

    @Test
    void anAlreadyFailedFutureThrowsTheCauseWithoutSuspending() throws Exception {
        Script s = new Script();
        IOException io = new IOException("failed before");

        Loops.virtual(() -> {
            s.expect(1);
            Async.createTask(() -> {
                s.expect(3);
                return null;
            });

            assertThatThrownBy(() -> Async.await(CompletableFuture.failedFuture(io))).isSameAs(io);

            s.expect(2);
            Async.yieldNow();
            s.finish(4);
        });

        s.assertFinished();
    }

    @Test
    void aFailureFromAnotherThreadIsRethrownUnwrapped() throws Exception {
        IOException io = new IOException("remote failure");
        CompletableFuture<String> future = new CompletableFuture<>();
        CountDownLatch taskIsWaiting = new CountDownLatch(1);
        Thread completer = startThread("completer", () -> {
            taskIsWaiting.await();
            future.completeExceptionally(io);
        });

        try {
            Loops.virtual(() -> {
                Async.loop().callSoon(taskIsWaiting::countDown);
                assertThatThrownBy(() -> Async.await(future)).isSameAs(io);
            });
        } finally {
            taskIsWaiting.countDown();
            completer.join();
        }
    }

    @Test
    void aCompletionExceptionIsUnwrappedToItsCause() throws Exception {
        IllegalStateException cause = new IllegalStateException("inside a stage");

        Loops.virtual(() -> {
            // A dependent stage that throws: its failure is a CompletionException around the cause.
            CompletableFuture<String> source = new CompletableFuture<>();
            CompletableFuture<String> dependent = source.thenApplyAsync(v -> {
                throw cause;
            });
            Async.loop().callSoon(() -> source.complete("go"));
            assertThatThrownBy(() -> Async.await(dependent)).isSameAs(cause);

            // Already done, explicitly wrapped.
            IOException io = new IOException("wrapped");
            assertThatThrownBy(() -> Async.await(CompletableFuture.failedFuture(new CompletionException(io))))
                    .isSameAs(io);
        });
    }

    @Test
    void aFutureCancelledFromAnotherThreadGivesCancelledException() throws Exception {
        CompletableFuture<String> future = new CompletableFuture<>();
        CountDownLatch taskIsWaiting = new CountDownLatch(1);
        Thread canceller = startThread("canceller", () -> {
            taskIsWaiting.await();
            future.cancel(true);
        });

        try {
            String after = Loops.virtual(() -> {
                Async.loop().callSoon(taskIsWaiting::countDown);
                assertThatThrownBy(() -> Async.await(future)).isInstanceOf(CancelledException.class);
                // The future was cancelled, not this task: it carries on.
                Async.sleep(Duration.ofSeconds(1));
                return "carried on";
            });

            assertThat(after).isEqualTo("carried on");
        } finally {
            taskIsWaiting.countDown();
            canceller.join();
        }
    }

    @Test
    void anAlreadyCancelledFutureGivesCancelledException() throws Exception {
        Loops.virtual(() -> {
            CompletableFuture<String> future = new CompletableFuture<>();
            future.cancel(false);

            assertThatThrownBy(() -> Async.await(future)).isInstanceOf(CancelledException.class);
        });
    }

    @Test
    void aPendingStageDependingOnACancelledFutureGivesCancelledException() throws Exception {
        Loops.virtual(() -> {
            // Pending when awaited, cancelled later: its failure is a CompletionException around a CancellationException.
            CompletableFuture<String> source = new CompletableFuture<>();
            CompletableFuture<String> dependent = source.thenApply(v -> v);
            Async.loop().callSoon(() -> source.cancel(false));
            assertThatThrownBy(() -> Async.await(dependent)).isInstanceOf(CancelledException.class);
        });
    }

    @Test
    void aDoneStageDependingOnACancelledFutureGivesCancelledException() throws Exception {
        Loops.virtual(() -> {
            // Already done when awaited: the same answer as when it was pending.
            CompletableFuture<String> cancelled = new CompletableFuture<>();
            cancelled.cancel(false);
            CompletableFuture<String> doneDependent = cancelled.thenApply(v -> v);
            assertThat(doneDependent).isDone();
            assertThatThrownBy(() -> Async.await(doneDependent)).isInstanceOf(CancelledException.class);
        });
    }

    @Test
    void cancellingTheAwaitingTaskCancelsTheFuture() throws Exception {
        CompletableFuture<String> future = new CompletableFuture<>();

        Loops.virtual(() -> {
            Task<String> t = Async.createTask(() -> Async.await(future));
            Async.yieldNow();
            assertThat(t.isDone()).isFalse();

            t.cancel("no longer needed");

            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class).hasMessage("no longer needed");
            assertThat(future.isCancelled()).isTrue();
        });
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void cancellingTheAwaiterReleasesTheFutureFromTheLoopsInFlightWork() throws Exception {
        long[] sleptUntil = {-1};

        Loops.virtual(() -> {
            Task<String> t = Async.createTask(() -> Async.await(new CompletableFuture<String>()));
            Async.yieldNow();
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);

            // Nothing is in flight any more, so the virtual clock may jump again (were the future
            // still counted, the loop would wait an hour for real).
            Async.sleep(Duration.ofHours(1));
            sleptUntil[0] = Loops.nowMillis();
        });

        assertThat(sleptUntil[0]).isEqualTo(Duration.ofHours(1).toMillis());
    }

    @Test
    void aMinimalCompletionStageCanBeAwaited() throws Exception {
        CompletableFuture<String> source = new CompletableFuture<>();

        String r = Loops.virtual(() -> {
            CompletionStage<String> minimal = source.minimalCompletionStage();
            Async.loop().callSoon(() -> source.complete("minimal"));
            return Async.await(minimal);
        });

        assertThat(r).isEqualTo("minimal");
    }

    @Test
    void waitingForAFutureIsNotADeadlock() throws Exception {
        CompletableFuture<String> future = new CompletableFuture<>();
        Thread completer = startThread("slow-completer", () -> {
            Thread.sleep(100); // external work that takes a while; the loop has nothing else to do
            future.complete("eventually");
        });

        try {
            String r = Loops.virtual(() -> Async.await(future));

            assertThat(r).isEqualTo("eventually");
        } finally {
            completer.join();
        }
    }

    @Test
    void theVirtualClockDoesNotJumpPastAFutureInFlight() throws Exception {
        List<String> log = new ArrayList<>();
        CompletableFuture<String> future = new CompletableFuture<>();
        Thread completer = startThread("slow-completer", () -> {
            Thread.sleep(50);
            future.complete("future");
        });

        try {
            Loops.virtual(() -> {
                Async.createTask(() -> {
                    Async.sleep(Duration.ofHours(1));
                    log.add("timer at " + Loops.nowMillis());
                    return null;
                });
                log.add(Async.await(future) + " at " + Loops.nowMillis());
            });
        } finally {
            completer.join();
        }

        assertThat(log).containsExactly("future at 0");
    }

    @Test
    void theLoopWaitsForAFutureAfterItWentIdle() throws Exception {
        // A future is thread-side work in flight, so an otherwise idle loop waits for it rather than
        // report a deadlock. It is completed only after the loop has run a callback handed in while waiting.
        CompletableFuture<String> future = new CompletableFuture<>();
        CompletableFuture<EventLoop> loopRef = new CompletableFuture<>();
        Thread completer = startThread("completer", () -> {
            EventLoop loop = loopRef.get(GIVE_UP_SECONDS, TimeUnit.SECONDS);
            // Hand a callback to the loop and let it finish; then complete the future.
            CountDownLatch ran = new CountDownLatch(1);
            loop.callSoonThreadsafe(ran::countDown);
            ran.await();
            future.complete("done");
        });

        try {
            String r = Loops.virtual(() -> {
                loopRef.complete(Async.loop());
                return Async.await(future);
            });

            assertThat(r).isEqualTo("done");
        } finally {
            completer.join();
        }
    }

    // ================================================================== callSoonThreadsafe

    @Test
    void callSoonThreadsafeFromManyThreadsRunsEveryCallbackExactlyOnceInOrderPerThread() throws Exception {
        int threads = 4;
        int perThread = 25_000 * STRESS_SCALE;
        int[] runs = new int[threads * perThread];
        int[] lastSeen = new int[threads];
        java.util.Arrays.fill(lastSeen, -1);
        int[] outOfOrder = {0};
        int[] offLoop = {0};
        int[] countedInside = {0};
        AtomicReference<Thread> coordinatorRef = new AtomicReference<>();

        Loops.virtual(() -> {
            EventLoop loop = Async.loop();
            CompletableFuture<Void> allJoined = new CompletableFuture<>();
            CountDownLatch go = new CountDownLatch(1);

            Thread coordinator = startThread("coordinator", () -> {
                List<Thread> hammers = new ArrayList<>();
                try {
                    for (int t = 0; t < threads; t++) {
                        int thread = t;
                        hammers.add(startThread("hammer-" + t, () -> {
                            go.await();
                            for (int i = 0; i < perThread; i++) {
                                int index = i;
                                loop.callSoonThreadsafe(() -> {
                                    runs[thread * perThread + index]++;
                                    if (lastSeen[thread] >= index) {
                                        outOfOrder[0]++;
                                    }
                                    lastSeen[thread] = index;
                                    if (Async.loop() != loop) {
                                        offLoop[0]++;
                                    }
                                });
                            }
                        }));
                    }
                    go.countDown();
                    for (Thread h : hammers) {
                        h.join();
                    }
                    allJoined.complete(null);
                } catch (Throwable e) {
                    allJoined.completeExceptionally(e);
                }
            });

            coordinatorRef.set(coordinator);

            Async.await(allJoined);

            // Every callback was handed in before allJoined completed, so all have run by now.
            for (int r : runs) {
                countedInside[0] += r;
            }
        });
        coordinatorRef.get().join();

        int total = 0;
        int missing = 0;
        int twice = 0;
        for (int r : runs) {
            total += r;
            if (r == 0) {
                missing++;
            } else if (r > 1) {
                twice++;
            }
        }
        assertThat(missing).as("callbacks lost").isZero();
        assertThat(twice).as("callbacks run more than once").isZero();
        assertThat(total).isEqualTo(threads * perThread);
        assertThat(countedInside[0]).as("all had run when the task resumed").isEqualTo(threads * perThread);
        assertThat(outOfOrder[0]).as("callbacks of one thread run in the order handed in").isZero();
        assertThat(offLoop[0]).as("callbacks run on the loop").isZero();
    }

    @Test
    void callSoonThreadsafeAfterTheLoopClosedIsRefused() throws Exception {
        AtomicReference<EventLoop> ref = new AtomicReference<>();
        Loops.virtual(() -> {
            ref.set(Async.loop());
        });

        assertThatThrownBy(() -> ref.get().callSoonThreadsafe(() -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    // ================================================================== misuse

    @Test
    void toThreadAndAwaitOutsideALoopNameTheCall() {
        assertThatThrownBy(() -> Async.toThread(() -> 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Async.toThread");
        assertThatThrownBy(() -> Async.await(new CompletableFuture<>()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Async.await");
    }

    @Test
    void toThreadAndAwaitFromAPlainCallbackAreRejected() throws Exception {
        AtomicReference<Throwable> fromToThread = new AtomicReference<>();
        AtomicReference<Throwable> fromAwait = new AtomicReference<>();

        Loops.virtual(() -> {
            Async.loop().callSoon(() -> {
                fromToThread.set(catchThrowable(() -> Async.toThread(() -> 1)));
                fromAwait.set(catchThrowable(() -> Async.await(new CompletableFuture<>())));
            });
            Async.yieldNow();
        });

        assertThat(fromToThread.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a task");
        assertThat(fromAwait.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a task");
    }

    @Test
    void nullArgumentsAreRejected() throws Exception {
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Async.toThread(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> Async.await((CompletionStage<Object>) null)).isInstanceOf(NullPointerException.class);
        });
    }

    @Test
    void aStageThatRefusesItsCallbackIsThrownAndLeavesTheLoopFreeToReportADeadlockOrJump() throws Exception {
        String got = Runner.create().virtualTime(true).run(() -> {
            CompletableFuture<Integer> hostile = new CompletableFuture<>() {
                @Override
                public CompletableFuture<Integer> whenComplete(
                        java.util.function.BiConsumer<? super Integer, ? super Throwable> action) {
                    throw new UnsupportedOperationException("no callbacks here");
                }
            };
            Throwable refused = catchThrowable(() -> Async.await(hostile));
            Async.sleep(Duration.ofHours(1)); // a virtual clock jumps: nothing is left in flight
            return refused.getMessage();
        });
        assertThat(got).isEqualTo("no callbacks here");
    }
}
