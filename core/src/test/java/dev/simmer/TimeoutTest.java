package dev.simmer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeoutTest {

    @Test
    void aBodyThatEndsInTimeReturnsItsValue() throws Exception {
        String r = Loops.virtual(() -> Async.timeout(Duration.ofSeconds(2), () -> {
            Async.sleep(Duration.ofSeconds(1));
            return "in time";
        }));
        assertThat(r).isEqualTo("in time");
    }

    @Test
    void aSlowBodyIsCancelledAtTheDeadlineAndTheTimeoutIsNotACancellation() throws Exception {
        List<String> log = new ArrayList<>();
        Throwable caught = Loops.virtual(() -> {
            try {
                Async.timeout(Duration.ofMillis(1500), () -> {
                    try {
                        Async.sleep(Duration.ofHours(1));
                    } finally {
                        log.add("body finally at " + Loops.nowMillis() + " ms");
                    }
                });
                return null;
            } catch (AsyncTimeoutException e) {
                log.add("timeout at " + Loops.nowMillis() + " ms");
                assertThat(Async.currentTask().cancelling()).isZero();
                return e;
            }
        });
        assertThat(caught).isNotInstanceOf(CancellationException.class)
                .hasMessageContaining("1.50 s")
                .hasCauseInstanceOf(CancelledException.class);
        assertThat(log).containsExactly("body finally at 1500 ms", "timeout at 1500 ms");
    }

    @Test
    void theTaskGoesOnNormallyAfterATimeout() throws Exception {
        String r = Loops.virtual(() -> {
            Async.timeoutOrNull(Duration.ofMillis(10), () -> {
                Async.sleep(Duration.ofSeconds(1));
                return "late";
            });
            Async.sleep(Duration.ofSeconds(5)); // no stray cancellation left behind
            return "fine at " + Loops.nowMillis() + " ms";
        });
        assertThat(r).isEqualTo("fine at 5010 ms");
    }

    @Test
    void aZeroTimeoutTimesOutAtTheFirstSuspensionEvenAYield() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Async.timeout(Duration.ZERO, () -> {
                s.expect(1); // the body starts: the deadline only acts at a suspension
                Async.yieldNow();
                s.unreachable();
            })).isInstanceOf(AsyncTimeoutException.class);
            s.finish(2);
        });
        s.assertFinished();
    }

    @Test
    void timeoutOrReturnsTheFallback() throws Exception {
        String r = Loops.virtual(() -> Async.timeoutOr(Duration.ofMillis(10), "fallback", () -> {
            Async.sleep(Duration.ofSeconds(1));
            return "late";
        }));
        assertThat(r).isEqualTo("fallback");
        assertThat(Loops.virtual(() -> Async.timeoutOrNull(Duration.ofMillis(10), () -> {
            Async.sleep(Duration.ofSeconds(1));
            return "late";
        }))).isNull();
    }

    @Test
    void timeoutAtUsesLoopTime() throws Exception {
        long[] at = new long[1];
        Loops.virtual(() -> {
            long deadline = Async.loop().time() + 250_000_000L;
            assertThatThrownBy(() -> Async.timeoutAt(deadline, () -> {
                Async.sleep(Duration.ofSeconds(1));
                return null;
            })).isInstanceOf(AsyncTimeoutException.class);
            at[0] = Loops.nowMillis();
        });
        assertThat(at[0]).isEqualTo(250);
    }

    @Test
    void otherExceptionsPassThroughUnchanged() {
        IOException io = new IOException("disk");
        assertThatThrownBy(() -> Loops.virtual(() -> Async.timeout(Duration.ofSeconds(1), () -> {
            throw io;
        }))).isSameAs(io);
    }

    @Test
    void nestedTimeoutsReportTheOneThatFired() throws Exception {
        Loops.virtual(() -> {
            // inner fires first: the inner scope throws, the outer one lets it through
            Throwable inner = catchIt(() -> Async.timeout(Duration.ofSeconds(10), () ->
                    Async.timeout(Duration.ofSeconds(1), () -> {
                        Async.sleep(Duration.ofHours(1));
                        return null;
                    })));
            assertThat(inner).isInstanceOf(AsyncTimeoutException.class).hasMessageContaining("1.00 s");
            assertThat(Loops.nowMillis()).isEqualTo(1000);

            // outer fires first: the inner scope must not take the cancellation for its own
            boolean[] innerSawTimeout = new boolean[1];
            Throwable outer = catchIt(() -> Async.timeout(Duration.ofSeconds(1), () -> {
                try {
                    return Async.timeout(Duration.ofSeconds(10), () -> {
                        Async.sleep(Duration.ofHours(1));
                        return null;
                    });
                } catch (AsyncTimeoutException e) {
                    innerSawTimeout[0] = true;
                    throw e;
                }
            }));
            assertThat(innerSawTimeout[0]).isFalse();
            assertThat(outer).isInstanceOf(AsyncTimeoutException.class).hasMessageContaining("1.00 s");
            assertThat(Loops.nowMillis()).isEqualTo(2000);
            assertThat(Async.currentTask().cancelling()).isZero();
        });
    }

    @Test
    void aTimeoutNeverSwallowsAnOutsideCancellation() throws Exception {
        Loops.virtual(() -> {
            Task<Object> t = Async.createTask(() -> Async.timeout(Duration.ofSeconds(1), () -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            }));
            // Both the timeout and an outside cancel arrive at 1 s, in the same pass.
            Async.loop().callLater(Duration.ofSeconds(1), () -> t.cancel("outside"));
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(t.isCancelled()).isTrue();
        });
    }

    @Test
    void waitForCancelsTheTaskAndWaitsForItToEnd() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<String> slow = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    return "never";
                } finally {
                    Async.sleep(Duration.ofMillis(100)); // slow cleanup
                    log.add("slow cleaned up at " + Loops.nowMillis() + " ms");
                }
            });
            assertThatThrownBy(() -> Async.waitFor(slow, Duration.ofSeconds(1))).isInstanceOf(AsyncTimeoutException.class);
            log.add("waitFor returned at " + Loops.nowMillis() + " ms");
            assertThat(slow.isCancelled()).isTrue();
            assertThat(Async.waitFor(Async.createTask(() -> "quick"), Duration.ofSeconds(1))).isEqualTo("quick");
        });
        assertThat(log).containsExactly("slow cleaned up at 1100 ms", "waitFor returned at 1100 ms");
    }

    @Test
    void waitForDoesNotSwallowACancellationThatArrivesAsTheInnerTaskEnds() throws Exception {
        // CPython issue 86296: wait_for lost a cancellation that came as the inner task finished.
        Loops.virtual(() -> {
            Task<String> inner = Async.createTask(() -> {
                Async.sleep(Duration.ofSeconds(1));
                return "done";
            });
            Task<String> outer = Async.createTask(() -> {
                String v = Async.waitFor(inner, Duration.ofSeconds(10));
                Async.sleep(Duration.ofSeconds(1)); // a cancellation must stop it here at the latest
                return v + " and carried on";
            });
            // inner's timer fires at 1 s; this callback (set later) runs in the same pass, after inner's
            // wake-up was scheduled: the cancel reaches outer while inner is ending.
            Async.loop().callLater(Duration.ofSeconds(1), () -> outer.cancel());
            assertThatThrownBy(outer::await).isInstanceOf(CancelledException.class);
            assertThat(inner.isCancelled() || "done".equals(inner.result())).isTrue();
        });
    }

    @Test
    void waitForWithNoTimeLeftNeverStartsWhatHasNotStarted() throws Exception {
        // asyncio 3.12+ wait_for(aw, 0): the awaitable is cancelled before its first step, then TimeoutError
        boolean[] started = new boolean[3];
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Async.waitFor(() -> {
                started[0] = true;
                return "body";
            }, Duration.ZERO)).isInstanceOf(AsyncTimeoutException.class)
                    .hasCauseInstanceOf(CancelledException.class);
            Task<String> fresh = Async.createTask(() -> {
                started[1] = true;
                return "task";
            });
            assertThatThrownBy(() -> Async.waitFor(fresh, Duration.ofSeconds(-1)))
                    .isInstanceOf(AsyncTimeoutException.class);
            assertThat(fresh.isCancelled()).isTrue();
            Task<String> alsoFresh = Async.createTask(() -> {
                started[2] = true;
                return "task";
            });
            assertThatThrownBy(() -> Async.waitFor(alsoFresh, Duration.ZERO)).isInstanceOf(AsyncTimeoutException.class);
            assertThat(Loops.nowMillis()).isZero();
        });
        assertThat(started).containsExactly(false, false, false);
    }

    @Test
    void waitForWithNoTimeLeftGivesWhatADoneOrStubbornTaskHas() throws Exception {
        Loops.virtual(() -> {
            Task<String> done = Async.createTask(() -> "done");
            Task<String> failed = Async.createTask(() -> {
                throw new java.io.IOException("boom");
            });
            Async.yieldNow();
            assertThat(Async.waitFor(done, Duration.ZERO)).isEqualTo("done");
            assertThatThrownBy(() -> Async.waitFor(failed, Duration.ZERO)).isInstanceOf(java.io.IOException.class);
            Task<String> stubborn = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    return "slept";
                } catch (CancelledException e) {
                    Async.sleep(Duration.ofMillis(5));
                    return "ignored the cancel";
                }
            });
            Async.yieldNow();
            assertThat(Async.waitFor(stubborn, Duration.ZERO)).isEqualTo("ignored the cancel");
            assertThat(Loops.nowMillis()).isEqualTo(5);
        });
    }

    @Test
    void aCallerCancelledDuringAZeroTimeoutWaitForStillWaitsForTheTaskThenIsCancelled() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<String> slowToStop = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    return "slept";
                } finally {
                    Async.sleep(Duration.ofMillis(50));
                    log.add("stopped at " + Loops.nowMillis() + " ms");
                }
            });
            Task<String> caller = Async.createTask(() -> Async.waitFor(slowToStop, Duration.ZERO));
            Async.sleep(Duration.ofMillis(10));
            caller.cancel();
            assertThatThrownBy(caller::await).isInstanceOf(CancelledException.class);
            log.add("caller ended at " + Loops.nowMillis() + " ms, task done: " + slowToStop.isDone());
        });
        assertThat(log).containsExactly("stopped at 50 ms", "caller ended at 50 ms, task done: true");
    }

    @Test
    void waitForAPromise() throws Exception {
        // asyncio's test_wait_for_timeout_less_then_0_or_0_future_done, and a pending future
        Loops.virtual(() -> {
            Promise<String> done = Async.loop().createPromise();
            done.complete("done");
            assertThat(Async.waitFor(done, Duration.ZERO)).isEqualTo("done");
            Promise<String> pending = Async.loop().createPromise();
            assertThatThrownBy(() -> Async.waitFor(pending, Duration.ZERO)).isInstanceOf(AsyncTimeoutException.class)
                    .hasCauseInstanceOf(CancelledException.class);
            assertThat(pending.isCancelled()).isTrue();
            Promise<String> slow = Async.loop().createPromise();
            Async.loop().callLater(Duration.ofSeconds(2), () -> slow.complete("late"));
            assertThatThrownBy(() -> Async.waitFor(slow, Duration.ofSeconds(1))).isInstanceOf(AsyncTimeoutException.class);
            assertThat(slow.isCancelled()).isTrue();
            Promise<String> unbounded = Async.loop().createPromise();
            Async.loop().callLater(Duration.ofDays(1), () -> unbounded.complete("tomorrow"));
            assertThat(Async.waitFor(unbounded, null)).isEqualTo("tomorrow");
        });
    }

    @Test
    void waitForWithANullTimeoutWaitsWithoutLimit() throws Exception {
        // asyncio's wait_for(aw, None)
        Loops.virtual(() -> {
            Task<String> slow = Async.createTask(() -> {
                Async.sleep(Duration.ofDays(2));
                return "slow";
            });
            assertThat(Async.waitFor(slow, null)).isEqualTo("slow");
            assertThat(Async.<String>waitFor(() -> {
                Async.sleep(Duration.ofDays(1));
                return "body";
            }, null)).isEqualTo("body");
            assertThat(Loops.nowMillis()).isEqualTo(Duration.ofDays(3).toMillis());
        });
    }

    @Test
    void outsideLoopIsAClearError() {
        assertThatThrownBy(() -> Async.timeout(Duration.ofSeconds(1), () -> 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Async.timeout");
    }

    private static Throwable catchIt(AsyncCallable<?> body) {
        try {
            body.call();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }
}
