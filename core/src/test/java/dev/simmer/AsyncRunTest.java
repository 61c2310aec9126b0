package dev.simmer;

import dev.simmer.internal.Clock;
import dev.simmer.internal.VirtualClock;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class AsyncRunTest {

    @Test
    void runReturnsMainsResult() throws Exception {
        assertThat(Async.run(() -> "result")).isEqualTo("result");
    }

    @Test
    void runOfARunnableRunsIt() throws Exception {
        List<String> log = new ArrayList<>();
        Async.run(() -> {
            log.add("Hello!");
            Async.sleep(Duration.ofMillis(1));
            log.add("World!");
        });
        assertThat(log).containsExactly("Hello!", "World!");
    }

    @Test
    void runRethrowsMainsExceptionUnchanged() {
        FileNotFoundException missing = new FileNotFoundException("menu.txt");
        assertThatThrownBy(() -> Async.run(() -> {
            Async.yieldNow();
            throw missing;
        })).isSameAs(missing);
    }

    @Test
    void leftoverTasksAreCancelledAndFinishedWhenMainReturns() throws Exception {
        List<String> log = new ArrayList<>();
        String r = Loops.virtual(() -> {
            Async.createTask("background", () -> {
                try {
                    while (true) {
                        log.add("Background work...");
                        Async.sleep(Duration.ofSeconds(5));
                    }
                } finally {
                    Async.sleep(Duration.ofSeconds(1)); // a cleanup that suspends still runs
                    log.add("background cleaned up at " + Loops.nowMillis() + " ms");
                }
            });
            Async.sleep(Duration.ofSeconds(7));
            Async.createTask("never started", () -> log.add("never")); // cancelled before its first step
            return "main done";
        });
        assertThat(r).isEqualTo("main done");
        assertThat(log).containsExactly("Background work...", "Background work...", "background cleaned up at 8000 ms");
    }

    @Test
    void leftoversAreFinishedAlsoWhenMainFails() {
        List<String> log = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("main failed");
        assertThatThrownBy(() -> Loops.virtual(() -> {
            Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    log.add("child finally");
                }
            });
            Async.yieldNow();
            throw boom;
        })).isSameAs(boom);
        assertThat(log).containsExactly("child finally");
    }

    @Test
    void anUnretrievedTaskFailureIsReportedWhenTheLoopCloses() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        IllegalArgumentException lost = new IllegalArgumentException("nobody awaited me");
        Loops.recording(reports).run(() -> {
            Async.createTask("forgotten", () -> {
                throw lost;
            });
            Task<Void> awaited = Async.createTask("awaited", () -> {
                throw new IllegalArgumentException("retrieved");
            });
            Async.sleep(Duration.ofMillis(1));
            assertThat(awaited.exception()).hasMessage("retrieved");
        });
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).exception()).isSameAs(lost);
        assertThat(reports.get(0).task().name()).isEqualTo("forgotten");
        assertThat(reports.get(0).message()).contains("'forgotten'").contains("nobody retrieved");
    }

    @Test
    void cancelledTasksAreNotReportedAsFailures() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        Loops.recording(reports).run(() -> {
            Task<Void> t = Async.createTask(() -> Async.sleep(Duration.ofHours(1)));
            Async.yieldNow();
            t.cancel();
            Async.yieldNow();
        });
        assertThat(reports).isEmpty();
    }

    @Test
    void deadlockIsDetectedAndNamesEveryStuckTaskAndWhereItWaits() {
        List<String> log = new ArrayList<>();
        assertThatThrownBy(() -> Loops.virtual(() -> {
            Promise<String> never = new Promise<>();
            Task<String> worker = Async.createTask("worker", () -> {
                try {
                    return never.await();
                } finally {
                    log.add("worker finally");
                }
            });
            return worker.await();
        }))
                .isInstanceOf(DeadlockException.class)
                .hasMessageContaining("Deadlock")
                .hasMessageContaining("'main': awaiting task 'worker'\n")
                .hasMessageContaining("'worker': awaiting Promise")
                .hasMessageContaining("deadlockIsDetectedAndNamesEveryStuckTaskAndWhereItWaits");
        assertThat(log).containsExactly("worker finally");
    }

    @Test
    void noDeadlockWhileATimerCanStillWakeSomething() throws Exception {
        String r = Loops.virtual(() -> {
            Promise<String> p = new Promise<>();
            Async.loop().callLater(Duration.ofDays(1), () -> p.complete("tomorrow"));
            return p.await();
        });
        assertThat(r).isEqualTo("tomorrow");
    }

    @Test
    void runInsideARunningLoopIsRejected() throws Exception {
        Throwable caught = Loops.virtual(() -> {
            try {
                Async.run(() -> "nested");
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertThat(caught).hasMessageContaining("Async.run cannot be called from inside a running event loop")
                .hasMessageContaining("createTask");
    }

    @Test
    void asyncCallsOutsideALoopNameTheCall() {
        assertThatThrownBy(() -> Async.sleep(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Async.sleep").hasMessageContaining("Async.run");
        assertThatThrownBy(Async::yieldNow).isInstanceOf(IllegalStateException.class).hasMessageContaining("Async.yieldNow");
        assertThatThrownBy(() -> Async.createTask(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Async.createTask");
        assertThatThrownBy(Async::currentTask).isInstanceOf(IllegalStateException.class).hasMessageContaining("Async.currentTask");
        assertThatThrownBy(Async::loop).isInstanceOf(IllegalStateException.class).hasMessageContaining("Async.loop");
        assertThatThrownBy(() -> Async.gather(() -> 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("Async.gather");
        assertThatThrownBy(() -> Async.gatherSettled(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Async.gatherSettled");
        assertThatThrownBy(() -> Async.toThread(() -> 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("Async.toThread");
        assertThatThrownBy(() -> Async.await(CompletableFuture.completedFuture(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Async.await");
        assertThatThrownBy(Promise::new).isInstanceOf(IllegalStateException.class).hasMessageContaining("new Promise()");
    }

    @Test
    void suspendingFromAPlainCallbackIsAClearError() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        Loops.recording(reports).run(() -> {
            Async.loop().callSoon(() -> Async.sleep(Duration.ofSeconds(1)));
            Async.yieldNow();
        });
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).exception()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Async.sleep").hasMessageContaining("inside a task");
    }

    @Test
    void awaitingATaskOfAnotherLoopIsRejected() throws Exception {
        CompletableFuture<Task<String>> handOver = new CompletableFuture<>();
        CompletableFuture<Throwable> verdict = new CompletableFuture<>();
        Thread other = new Thread(() -> {
            try {
                Async.run(() -> {
                    Task<String> foreign = handOver.get(5, TimeUnit.SECONDS);
                    try {
                        foreign.await();
                        verdict.complete(null);
                    } catch (Throwable e) {
                        verdict.complete(e);
                    }
                });
            } catch (Exception e) {
                verdict.completeExceptionally(e);
            }
        });
        Async.run(() -> {
            Task<String> mine = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(1));
                return "mine";
            });
            handOver.complete(mine);
            other.start();
            Async.await(verdict); // keeps this loop (and its task) alive until the other loop tried
            mine.await();
        });
        other.join();
        assertThat(verdict.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("another event loop");
    }

    @Test
    void debugModeReportsAStepThatBlocksTheLoop() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        VirtualClock clock = Clock.virtual();
        Runner.create().clock(clock).debug(true).exceptionHandler(reports::add).run(() -> {
            Task<Void> hog = Async.createTask("hog", () -> {
                clock.advance(TimeUnit.MILLISECONDS.toNanos(150)); // a step that takes 150 ms
                Async.yieldNow();
                clock.advance(TimeUnit.MILLISECONDS.toNanos(50)); // under the threshold
            });
            hog.await();
        });
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).message()).contains("'hog'").contains("150 ms").contains("blocking the loop");
        assertThat(reports.get(0).task().name()).isEqualTo("hog");
        assertThat(reports.get(0).exception().getStackTrace()).anySatisfy(frame ->
                assertThat(frame.getMethodName()).contains("debugModeReportsAStepThatBlocksTheLoop"));
    }

    @Test
    void withoutDebugModeNothingIsReported() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        VirtualClock clock = Clock.virtual();
        Runner.create().clock(clock).debug(false).exceptionHandler(reports::add).run(() -> {
            clock.advance(TimeUnit.SECONDS.toNanos(1));
            Async.yieldNow();
        });
        assertThat(reports).isEmpty();
    }

    @Test
    void interruptingTheThreadRunningTheLoopCancelsMain() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        List<String> log = new ArrayList<>();
        Thread runner = new Thread(() -> {
            try {
                Async.run(() -> {
                    try {
                        Async.loop().callSoon(() -> started.complete(null));
                        Async.sleep(Duration.ofHours(1));
                    } finally {
                        log.add("main finally");
                    }
                });
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
            log.add("interrupt flag kept: " + Thread.currentThread().isInterrupted());
        });
        runner.start();
        started.get(10, TimeUnit.SECONDS);
        runner.interrupt();
        runner.join(10_000);
        assertThat(outcome.get(1, TimeUnit.SECONDS)).isInstanceOf(CancelledException.class);
        assertThat(log).containsExactly("main finally", "interrupt flag kept: true");
    }

    @Test
    void suspendingInAPinnedFrameIsAnErrorNamingTheReason() throws Exception {
        assumeThat(Async.engine()).as("only the fast path pins; the threads engine can suspend anywhere")
                .isEqualTo(EngineKind.CONTINUATION);
        Throwable caught = Loops.virtual(() -> {
            Async.createTask(() -> null); // ready too, so the yield below must really suspend
            try {
                Object unreachable = SuspendsInItsInitializer.VALUE;
                return new AssertionError("initializer suspended: " + unreachable);
            } catch (ExceptionInInitializerError e) {
                return e.getCause();
            }
        });
        assertThat(caught).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot suspend here")
                .hasMessageContaining("class initializer");
    }

    static final class SuspendsInItsInitializer {
        static final Object VALUE;

        static {
            Async.yieldNow();
            VALUE = "unreachable on the fast path";
        }
    }
    @Test
    void aCallbackThatReschedulesItselfCannotHoldTheCloseUp() throws Exception {
        // Callbacks still ready when the last task ends get a few passes (a done callback
        // completing a submitted coroutine's future needs one), not a self-rescheduling chain's whole life.
        int[] afterMain = {0};
        boolean[] mainDone = {false};
        Async.run(() -> {
            EventLoop loop = Async.loop();
            Runnable[] again = new Runnable[1];
            again[0] = () -> {
                if (mainDone[0]) {
                    afterMain[0]++;
                }
                loop.callSoon(again[0]);
            };
            loop.callSoon(again[0]);
            Async.yieldNow();
            mainDone[0] = true;
        });
        assertThat(afterMain[0]).isBetween(1, 3);
    }
}
