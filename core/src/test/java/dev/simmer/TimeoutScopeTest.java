package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeoutScopeTest {
    private static final long MS = 1_000_000L;

    private static long now() {
        return Async.loop().time();
    }

    @Test
    void whenIsTheDeadlineInLoopTimeAndAScopeEndingInTimeReturnsItsValue() throws Exception {
        Script s = new Script();
        String r = Loops.virtual(() -> {
            Async.sleep(Duration.ofMillis(7));
            long start = now();
            String v = Async.timeoutScope(Duration.ofMillis(500), scope -> {
                s.expect(1);
                assertThat(scope.when()).hasValue(start + 500 * MS);
                assertThat(scope.expired()).isFalse();
                Async.sleep(Duration.ofMillis(100));
                return "in time";
            });
            s.finish(2);
            return v;
        });
        assertThat(r).isEqualTo("in time");
        s.assertFinished();
    }

    @Test
    void reschedulingLaterLetsTheBodyRunPastTheFirstDeadline() throws Exception {
        Script s = new Script();
        long[] ended = new long[1];
        Loops.virtual(() -> {
            Async.timeoutScope(Duration.ofSeconds(1), scope -> {
                s.expect(1);
                Async.sleep(Duration.ofMillis(900));
                scope.reschedule(now() + Duration.ofSeconds(5).toNanos());
                assertThat(scope.when()).hasValue(5900 * MS);
                s.expect(2);
                Async.sleep(Duration.ofSeconds(3)); // past the first deadline, before the new one
                s.expect(3);
                return null;
            });
            ended[0] = Loops.nowMillis();
            s.finish(4);
        });
        assertThat(ended[0]).isEqualTo(3900);
        s.assertFinished();
    }

    @Test
    void reschedulingEarlierTimesOutEarlierAndSaysSo() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            TimeoutScope[] seen = new TimeoutScope[1];
            try {
                Async.timeoutScope(Duration.ofHours(1), scope -> {
                    seen[0] = scope;
                    scope.reschedule(now() + 250 * MS);
                    s.expect(1);
                    try {
                        Async.sleep(Duration.ofSeconds(10));
                    } finally {
                        s.expect(2);
                        assertThat(Loops.nowMillis()).isEqualTo(250);
                    }
                    s.unreachable();
                    return null;
                });
                s.unreachable();
            } catch (AsyncTimeoutException e) {
                s.expect(3);
                assertThat(e).isNotInstanceOf(CancellationException.class)
                        .hasMessageContaining("at loop time " + 250 * MS + " ns (rescheduled)");
                assertThat(e.scope).isSameAs(seen[0]);
                assertThat(seen[0].expired()).isTrue(); // stays true once the scope has ended
                assertThat(Async.currentTask().cancelling()).isZero();
            }
            Async.sleep(Duration.ofSeconds(1)); // no stray cancellation left behind
            s.finish(4);
        });
        s.assertFinished();
    }

    @Test
    void aDeadlineInThePastTimesOutAtTheNextSuspension() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Async.timeoutScope(Duration.ofSeconds(1), scope -> {
                scope.reschedule(now() - 1);
                s.expect(1); // not at once: the body goes on until it suspends
                Async.yieldNow();
                s.unreachable();
                return null;
            })).isInstanceOf(AsyncTimeoutException.class);
            s.expect(2);
            assertThat(Loops.nowMillis()).isZero();
            s.finish(3);
        });
        s.assertFinished();
    }

    @Test
    void rescheduleNeverRemovesTheDeadline() throws Exception {
        String r = Loops.virtual(() -> Async.timeoutAtScope(now() + 10 * MS, scope -> {
            scope.rescheduleNever();
            assertThat(scope.when()).isEqualTo(OptionalLong.empty());
            Async.sleep(Duration.ofHours(2));
            assertThat(scope.expired()).isFalse();
            return "unbounded at " + Loops.nowMillis() / 3_600_000 + " h";
        }));
        assertThat(r).isEqualTo("unbounded at 2 h");
    }

    @Test
    void aScopeWithoutADeadlineGetsOneFromReschedule() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Async.timeoutScope(scope -> {
                assertThat(scope.when()).isEmpty();
                Async.sleep(Duration.ofHours(1)); // nothing bounds it yet
                s.expect(1);
                scope.reschedule(now() + 20 * MS);
                Async.sleep(Duration.ofHours(1));
                s.unreachable();
                return null;
            })).isInstanceOf(AsyncTimeoutException.class).hasMessageContaining("rescheduled");
            assertThat(Loops.nowMillis()).isEqualTo(3_600_020);
            s.finish(2);
        });
        s.assertFinished();
    }

    @Test
    void anotherTaskMayMoveTheDeadline() throws Exception {
        // a watchdog: each heartbeat from the worker's peer pushes the worker's deadline on
        Script s = new Script();
        Loops.virtual(() -> {
            TimeoutScope[] shared = new TimeoutScope[1];
            Task<String> worker = Async.createTask("worker", () -> Async.timeoutScope(Duration.ofMillis(100), scope -> {
                shared[0] = scope;
                s.expect(1);
                Async.sleep(Duration.ofMillis(350)); // longer than 100 ms: lives on the heartbeats
                s.expect(5);
                return "worked until " + Loops.nowMillis() + " ms";
            }));
            Async.yieldNow();
            for (int beat = 2; beat <= 4; beat++) {
                Async.sleep(Duration.ofMillis(90));
                s.expect(beat);
                shared[0].reschedule(now() + 100 * MS);
            }
            assertThat(worker.await()).isEqualTo("worked until 350 ms");
            s.finish(6);
        });
        s.assertFinished();
    }

    @Test
    void rescheduleAfterExpiryOrAfterTheEndIsAnError() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            TimeoutScope[] kept = new TimeoutScope[1];
            assertThatThrownBy(() -> Async.timeoutScope(Duration.ofMillis(10), scope -> {
                kept[0] = scope;
                try {
                    Async.sleep(Duration.ofSeconds(1));
                } catch (CancelledException e) {
                    s.expect(1);
                    assertThat(scope.expired()).isTrue();
                    assertThatThrownBy(() -> scope.reschedule(now() + Duration.ofHours(1).toNanos()))
                            .isInstanceOf(IllegalStateException.class).hasMessageContaining("already expired");
                    assertThatThrownBy(scope::rescheduleNever).isInstanceOf(IllegalStateException.class);
                    throw e;
                }
                return null;
            })).isInstanceOf(AsyncTimeoutException.class);
            s.expect(2);
            assertThatThrownBy(() -> kept[0].reschedule(now())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("body has already ended");

            TimeoutScope ended = Async.timeoutScope(Duration.ofSeconds(1), scope -> scope);
            assertThatThrownBy(() -> ended.reschedule(now())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("body has already ended");
            assertThat(ended.expired()).isFalse();
            assertThat(ended.toString()).contains("ended");
            Async.sleep(Duration.ofSeconds(2)); // its timer is gone: nothing fires
            s.finish(3);
        });
        s.assertFinished();
    }

    @Test
    void nestedScopesReportTheOneThatFiredAndTheOtherDoesNotExpire() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            TimeoutScope[] scopes = new TimeoutScope[2];
            // the outer fires first although the inner had been moved beyond it
            try {
                Async.timeoutScope(Duration.ofMillis(100), outer -> {
                    scopes[0] = outer;
                    return Async.timeoutScope(Duration.ofMillis(50), inner -> {
                        scopes[1] = inner;
                        inner.reschedule(now() + Duration.ofSeconds(1).toNanos());
                        s.expect(1);
                        Async.sleep(Duration.ofSeconds(5));
                        return null;
                    });
                });
            } catch (AsyncTimeoutException e) {
                s.expect(2);
                assertThat(e.scope).isSameAs(scopes[0]);
                assertThat(scopes[0].expired()).isTrue();
                assertThat(scopes[1].expired()).isFalse();
                assertThat(Loops.nowMillis()).isEqualTo(100);
            }
            // the inner fires, after the outer was moved later: the outer carries on
            String r = Async.timeoutScope(Duration.ofMillis(10), outer -> {
                outer.reschedule(now() + Duration.ofSeconds(1).toNanos());
                try {
                    Async.timeoutScope(Duration.ofMillis(50), inner -> {
                        Async.sleep(Duration.ofSeconds(5));
                        return null;
                    });
                } catch (AsyncTimeoutException e) {
                    s.expect(3);
                    assertThat(outer.expired()).isFalse();
                }
                Async.sleep(Duration.ofMillis(100));
                return "outer fine at " + Loops.nowMillis() + " ms";
            });
            assertThat(r).isEqualTo("outer fine at 250 ms");
            s.finish(4);
        });
        s.assertFinished();
    }

    @Test
    void aScopeNeverTurnsAnOuterCancellationIntoATimeout() throws Exception {
        // the scope expires and the task is cancelled from elsewhere before the body resumes:
        // two requests, one withdrawn by the scope, so the cancellation goes on unchanged
        Script s = new Script();
        Loops.virtual(() -> {
            TimeoutScope[] kept = new TimeoutScope[1];
            Task<Void> victim = Async.createTask("victim", () -> {
                try {
                    Async.timeoutScope(Duration.ofHours(1), scope -> {
                        kept[0] = scope;
                        Task<?> me = Async.currentTask();
                        scope.reschedule(now()); // due on the next pass
                        Async.loop().callSoon(() -> me.cancel("from outside"));
                        s.expect(1);
                        Async.sleep(Duration.ofSeconds(1));
                        s.unreachable();
                        return null;
                    });
                } catch (AsyncTimeoutException e) {
                    s.unreachable();
                } catch (CancelledException e) {
                    s.expect(2);
                    assertThat(kept[0].expired()).isTrue();
                    assertThat(Async.currentTask().cancelling()).isEqualTo(1); // the outside request stands
                    throw e;
                }
            });
            Async.sleep(Duration.ofMillis(5));
            assertThat(victim.isCancelled()).isTrue();
            s.finish(3);
        });
        s.assertFinished();
    }

    @Test
    void aTimedOutScopeGivesUpItsRequestWhenTheBodyEndsBeforeTheCancellationArrives() throws Exception {
        Loops.virtual(() -> {
            String r = Async.timeoutScope(Duration.ofHours(1), scope -> {
                scope.reschedule(now());
                Async.loop().callSoon(() -> { }); // nothing suspends before the body ends
                return "finished";
            });
            assertThat(r).isEqualTo("finished");
            assertThat(Async.currentTask().cancelling()).isZero();
            Async.sleep(Duration.ofSeconds(1));
        });
    }

    @Test
    void aScopeMustBeOpenedInATask() throws Exception {
        Loops.virtual(() -> {
            Promise<Throwable> failure = Async.loop().createPromise();
            Async.loop().callSoon(() -> {
                try {
                    Async.timeoutScope(Duration.ofSeconds(1), scope -> null);
                    failure.complete(null);
                } catch (Exception e) {
                    failure.complete(e);
                }
            });
            assertThat(failure.await()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Async.timeoutScope");
        });
        assertThatThrownBy(() -> Async.timeoutScope(Duration.ofSeconds(1), scope -> null))
                .isInstanceOf(IllegalStateException.class);
    }
}
