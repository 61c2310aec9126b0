package dev.simmer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsyncResourceTest {

    /** The seed's AsyncDatabase: connecting takes 1 s, disconnecting 0.5 s. */
    private static AsyncResource<String> database(List<String> log) throws Exception {
        return AsyncResource.of(() -> {
            log.add("Connecting...");
            Async.sleep(Duration.ofSeconds(1));
            return "db";
        }, db -> {
            log.add("Disconnecting...");
            Async.sleep(Duration.ofMillis(500));
            log.add("Disconnected at " + Loops.nowMillis() + " ms");
        });
    }

    @Test
    void theSeedsAsyncWithPrintsInOrder() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            try (var db = database(log)) {
                log.add("Using database! (" + db.get() + " at " + Loops.nowMillis() + " ms)");
            }
            log.add(String.format("Time: %.2fs", Loops.nowMillis() / 1000.0));
        });
        assertThat(log).containsExactly("Connecting...", "Using database! (db at 1000 ms)", "Disconnecting...",
                "Disconnected at 1500 ms", "Time: 1.50s");
    }

    @Test
    void theTeardownRunsWhenTheBodyFailsAndTheBodysExceptionStaysPrimary() {
        IOException body = new IOException("body");
        IllegalStateException teardown = new IllegalStateException("teardown");
        List<String> log = new ArrayList<>();
        assertThatThrownBy(() -> Loops.virtual(() -> {
            try (var r = AsyncResource.of(() -> "conn", c -> {
                Async.sleep(Duration.ofMillis(10));
                log.add("closed " + c);
                throw teardown;
            })) {
                throw body;
            }
        })).isSameAs(body).satisfies(e -> assertThat(e.getSuppressed()).containsExactly(teardown));
        assertThat(log).containsExactly("closed conn");
    }

    @Test
    void aTeardownFailureAloneIsThrownUnchanged() {
        IOException teardown = new IOException("teardown");
        assertThatThrownBy(() -> Loops.virtual(() -> {
            try (var r = AsyncResource.of(() -> "conn", c -> {
                throw teardown;
            })) {
                r.get();
            }
        })).isSameAs(teardown);
    }

    @Test
    void aResourceWhoseSetupFailsIsNotClosed() {
        IOException refused = new IOException("connection refused");
        List<String> log = new ArrayList<>();
        assertThatThrownBy(() -> Loops.virtual(() -> {
            try (var r = AsyncResource.of(() -> {
                Async.sleep(Duration.ofMillis(10));
                throw refused;
            }, c -> log.add("closed"))) {
                log.add("body");
            }
        })).isSameAs(refused);
        assertThat(log).isEmpty();
    }

    @Test
    void theTeardownRunsAtMostOnce() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            AsyncResource<String> r = AsyncResource.of(() -> "conn", c -> log.add("closed"));
            assertThat(r.isClosed()).isFalse();
            r.close();
            r.close();
            assertThat(r.isClosed()).isTrue();
            assertThat(r.get()).isEqualTo("conn");
        });
        assertThat(log).containsExactly("closed");
    }

    @Test
    void aTeardownThatFailsStillCountsAsClosed() throws Exception {
        int[] runs = {0};
        Loops.virtual(() -> {
            AsyncResource<String> r = AsyncResource.of(() -> "conn", c -> {
                runs[0]++;
                throw new IOException("flaky");
            });
            assertThatThrownBy(r::close).isInstanceOf(IOException.class);
            r.close();
        });
        assertThat(runs[0]).isEqualTo(1);
    }

    @Test
    void afterACancellationTheTeardownStillSuspendsAndCompletesAndTheTaskEndsCancelled() throws Exception {
        // The CancelledException is already on its way out of the block when close() runs: the
        // teardown's own waits work (both engines), and the task ends cancelled.
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> {
                try (var db = database(log)) {
                    Async.sleep(Duration.ofHours(1));
                    log.add("never");
                }
            });
            Async.sleep(Duration.ofSeconds(2));
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(t.isCancelled()).isTrue();
            assertThat(Loops.nowMillis()).isEqualTo(2500);
        });
        assertThat(log).containsExactly("Connecting...", "Disconnecting...", "Disconnected at 2500 ms");
    }

    @Test
    void aTimeoutAroundTheBlockClosesTheResourceBeforeItIsThrown() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Async.timeout(Duration.ofSeconds(2), () -> {
                try (var db = database(log)) {
                    Async.sleep(Duration.ofHours(1));
                }
            })).isInstanceOf(AsyncTimeoutException.class);
            log.add("timeout seen at " + Loops.nowMillis() + " ms");
            assertThat(Async.currentTask().cancelling()).isZero();
        });
        assertThat(log).containsExactly("Connecting...", "Disconnecting...", "Disconnected at 2500 ms",
                "timeout seen at 2500 ms");
    }

    @Test
    void aCancellationThatArrivesWhileTheTeardownWaitsIsDeliveredThereAsInAsyncio() throws Exception {
        // The teardown is not shielded (asyncio's __aexit__ is not either): its wait throws, its own
        // finally still runs and may suspend, and it is not run a second time.
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            AsyncResource<?>[] resource = new AsyncResource<?>[1];
            Task<Void> t = Async.createTask(() -> {
                try (var r = AsyncResource.of(() -> "conn", c -> {
                    try {
                        Async.sleep(Duration.ofSeconds(1));
                        log.add("teardown finished its wait");
                    } catch (CancelledException e) {
                        log.add("teardown wait cancelled at " + Loops.nowMillis() + " ms");
                        throw e;
                    } finally {
                        Async.sleep(Duration.ofMillis(100)); // the cancellation was delivered: this works
                        log.add("teardown finally done at " + Loops.nowMillis() + " ms");
                    }
                })) {
                    resource[0] = r;
                    Async.sleep(Duration.ofHours(1));
                }
            });
            Async.sleep(Duration.ofSeconds(1));
            t.cancel("first");                       // the body stops; close() starts
            Async.sleep(Duration.ofMillis(500));
            t.cancel("second");                      // arrives while close() waits
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(t.isCancelled()).isTrue();
            assertThat(resource[0].isClosed()).isTrue();
            resource[0].close(); // at most once
        });
        assertThat(log).containsExactly("teardown wait cancelled at 1500 ms", "teardown finally done at 1600 ms");
    }

    @Test
    void aTaskCancelledBeforeItsFirstStepNeverOpensNorHalfClosesItsResource() throws Exception {
        // Regression: a task cancelled before its first step never runs its body, so no setup,
        // no teardown, and no finally block half-runs.
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> {
                try {
                    try (var db = database(log)) {
                        log.add("body");
                    }
                } finally {
                    log.add("finally");
                }
            });
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(t.isCancelled()).isTrue();
        });
        assertThat(log).isEmpty();
    }

    @Test
    void aCancellationDuringSetupPropagatesAndNothingIsClosed() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> {
                try (var db = database(log)) {
                    log.add("body");
                }
            });
            Async.sleep(Duration.ofMillis(500));
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
        });
        assertThat(log).containsExactly("Connecting...");
    }

    @Test
    void theSeedsAsyncContextManagerAroundGather() throws Exception {
        // The seed's "timer" context manager around a gather of three one-second fetches.
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            try (var timer = AsyncResource.of(() -> {
                log.add("Starting All fetches");
                return Async.loop().time();
            }, start -> log.add(String.format("All fetches: %.2fs", (Async.loop().time() - start) / 1e9)))) {
                List<String> users = Async.gather(
                        () -> fetchUser(1),
                        () -> fetchUser(2),
                        () -> fetchUser(3));
                log.add(users.toString());
            }
        });
        assertThat(log).containsExactly("Starting All fetches", "[User 1, User 2, User 3]", "All fetches: 1.00s");
    }

    private static String fetchUser(int id) {
        Async.sleep(Duration.ofSeconds(1));
        return "User " + id;
    }

    @Test
    void outsideALoopIsAClearError() {
        assertThatThrownBy(() -> AsyncResource.of(() -> "x", x -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AsyncResource.of");
    }

    // ----- a teardown that must finish: shielded (a cancellation during close())

    /** A resource whose teardown takes 1 s and logs each of its steps. */
    private static AsyncResource.Teardown<String> slowClose(List<String> log) {
        return c -> {
            log.add("flushing " + c + " at " + Loops.nowMillis() + " ms");
            Async.sleep(Duration.ofSeconds(1));
            log.add("closed " + c + " at " + Loops.nowMillis() + " ms");
        };
    }

    @Test
    void aShieldedTeardownFinishesDespiteACancellationThatArrivesWhileItWaitsThenTheTaskEndsCancelled()
            throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask("worker", () -> {
                try (var r = AsyncResource.of(() -> "conn", AsyncResource.shielded(slowClose(log)))) {
                    Async.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    log.add("task sees " + e.getMessage() + " at " + Loops.nowMillis() + " ms");
                    throw e;
                }
            });
            Async.sleep(Duration.ofSeconds(1));
            t.cancel("first");                      // the block stops; the shielded close starts
            Async.sleep(Duration.ofMillis(500));
            t.cancel("second");                     // arrives while close() waits: it waits on
            assertThat(t.isDone()).isFalse();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(t.cancelling()).isEqualTo(2);
        });
        assertThat(log).containsExactly("flushing conn at 1000 ms", "closed conn at 2000 ms",
                "task sees first at 2000 ms");
    }

    @Test
    void aCancellationDuringAShieldedTeardownOfANormalBlockIsThrownOnceTheTeardownIsDone() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> {
                try {
                    try (var r = AsyncResource.of(() -> "conn", AsyncResource.shielded(slowClose(log)))) {
                        log.add("using " + r.get());
                    }
                    log.add("after the block");     // never: close() throws the cancellation
                } catch (CancelledException e) {
                    log.add("cancelled (" + e.getMessage() + ") at " + Loops.nowMillis() + " ms");
                    throw e;
                }
            });
            Async.sleep(Duration.ofMillis(300));
            t.cancel("stop");
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
        });
        assertThat(log).containsExactly("using conn", "flushing conn at 0 ms", "closed conn at 1000 ms",
                "cancelled (stop) at 1000 ms");
    }

    @Test
    void aShieldedTeardownRunsInAHelperTaskThatSeesTheContextAndCanBeBoundedByATimeout() throws Exception {
        ContextVar<String> request = new ContextVar<>("request");
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask("worker", () -> {
                request.set("r-1");
                try (var r = AsyncResource.of(() -> "conn", AsyncResource.shielded(c -> {
                    log.add(Async.currentTask().name() + " sees " + request.get());
                    String done = Async.timeoutOr(Duration.ofSeconds(2), "gave up", () -> {
                        Async.sleep(Duration.ofHours(1)); // a goodbye that hangs
                        return "said goodbye";
                    });
                    log.add(done + " at " + Loops.nowMillis() + " ms");
                }))) {
                    Async.sleep(Duration.ofHours(1));
                }
            });
            Async.sleep(Duration.ofSeconds(1));
            t.cancel();
            Async.sleep(Duration.ofMillis(100));
            t.cancel();                              // held off until the teardown ends
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
        });
        assertThat(log).containsExactly("worker/teardown sees r-1", "gave up at 3000 ms");
    }

    @Test
    void aShieldedTeardownsFailureIsThrownAndAttachedToALateCancellation() throws Exception {
        IOException flush = new IOException("flush failed");
        List<ErrorReport> reports = new ArrayList<>();
        Loops.recording(reports).run(() -> {
            // Alone: thrown unchanged.
            assertThatThrownBy(() -> {
                try (var r = AsyncResource.of(() -> "conn", AsyncResource.shielded(c -> {
                    throw flush;
                }))) {
                    r.get();
                }
            }).isSameAs(flush);
            // With a cancellation that arrived meanwhile: the cancellation wins, the failure is attached.
            Task<Void> t = Async.createTask(() -> {
                try (var r = AsyncResource.of(() -> "conn", AsyncResource.shielded(c -> {
                    Async.sleep(Duration.ofSeconds(1));
                    throw flush;
                }))) {
                    r.get();
                }
            });
            Async.sleep(Duration.ofMillis(100));
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class)
                    .satisfies(e -> assertThat(e.getCause()).isNotNull()
                            .satisfies(c -> assertThat(c.getSuppressed()).containsExactly(flush)));
        });
        assertThat(reports).as("nothing left unretrieved").isEmpty();
    }

    @Test
    void aShieldedTeardownInAnExitStackFinishesWhileTheOthersStillClose() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> {
                try (ExitStack stack = new ExitStack()) {
                    stack.enter(() -> "a", AsyncResource.shielded(slowClose(log)));
                    stack.enter(() -> "b", slowClose(log));
                    Async.sleep(Duration.ofHours(1));
                }
            });
            Async.sleep(Duration.ofSeconds(1));
            t.cancel();                              // closing b starts
            Async.sleep(Duration.ofMillis(1500));
            t.cancel();                              // while a's shielded close waits
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
        });
        assertThat(log).containsExactly("flushing b at 1000 ms", "closed b at 2000 ms", "flushing a at 2000 ms",
                "closed a at 3000 ms");
    }

    // ----- with(setup, exit, block): a teardown that sees how the block ended

    @Test
    void withGivesTheExitTheBlocksFailureOrNullAndReturnsTheBlocksValue() throws Exception {
        List<String> log = new ArrayList<>();
        IllegalArgumentException bad = new IllegalArgumentException("bad row");
        AsyncResource.Exit<String> commitOrRollBack = (tx, failure) -> {
            Async.sleep(Duration.ofMillis(10));
            log.add((failure == null ? "commit " : "rollback (" + failure.getMessage() + ") ") + tx);
        };
        Loops.virtual(() -> {
            int rows = AsyncResource.with(() -> "tx1", commitOrRollBack, tx -> {
                Async.sleep(Duration.ofMillis(10));
                return 3;
            });
            assertThat(rows).isEqualTo(3);
            assertThatThrownBy(() -> AsyncResource.with(() -> "tx2", commitOrRollBack, tx -> {
                throw bad;
            })).isSameAs(bad);
            Task<Object> t = Async.createTask(() -> AsyncResource.with(() -> "tx3", commitOrRollBack, tx -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            }));
            Async.sleep(Duration.ofMillis(5));
            t.cancel("shutting down");
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
        });
        assertThat(log).containsExactly("commit tx1", "rollback (bad row) tx2", "rollback (shutting down) tx3");
    }

    @Test
    void withKeepsTheBlocksExceptionPrimaryAndTheExitsSuppressedAndAFailingSetupRunsNeither() throws Exception {
        IOException body = new IOException("body");
        IllegalStateException exit = new IllegalStateException("exit");
        IOException refused = new IOException("refused");
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            assertThatThrownBy(() -> AsyncResource.with(() -> "c", (c, f) -> {
                throw exit;
            }, c -> {
                throw body;
            })).isSameAs(body).satisfies(e -> assertThat(e.getSuppressed()).containsExactly(exit));
            assertThatThrownBy(() -> AsyncResource.with(() -> "c", (c, f) -> {
                throw exit;
            }, c -> "ok")).isSameAs(exit);
            assertThatThrownBy(() -> AsyncResource.with(() -> {
                throw refused;
            }, (c, f) -> log.add("exit"), c -> log.add("block"))).isSameAs(refused);
        });
        assertThat(log).isEmpty();
    }

    @Test
    void aShieldedExitOfWithFinishesDespiteALateCancellation() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Object> t = Async.createTask(() -> AsyncResource.with(() -> "tx", AsyncResource.shielded((tx, f) -> {
                Async.sleep(Duration.ofSeconds(1));
                log.add((f == null ? "commit" : "rollback") + " at " + Loops.nowMillis() + " ms");
            }), tx -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            }));
            Async.sleep(Duration.ofSeconds(1));
            t.cancel();
            Async.sleep(Duration.ofMillis(500));
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
        });
        assertThat(log).containsExactly("rollback at 2000 ms");
    }
}
