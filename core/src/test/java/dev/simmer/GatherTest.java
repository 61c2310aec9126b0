package dev.simmer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@link Async#gather} and {@link Async#gatherSettled}. */
class GatherTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private static <T> AsyncCallable<T> after(long millis, T value) {
        return () -> {
            Async.sleep(Duration.ofMillis(millis));
            return value;
        };
    }

    private static <T> AsyncCallable<T> failAfter(long millis, Exception e) {
        return () -> {
            Async.sleep(Duration.ofMillis(millis));
            throw e;
        };
    }

    // ------------------------------------------------------------------ results

    @Test
    void resultsComeInArgumentOrderNotFinishOrder() throws Exception {
        List<String> results = Loops.virtual(() -> Async.gather(
                after(300, "slow"),
                after(100, "fast"),
                after(200, "middle")));

        assertThat(results).containsExactly("slow", "fast", "middle");
    }

    @Test
    void aListOfBodiesGivesResultsInListOrder() throws Exception {
        List<AsyncCallable<Integer>> bodies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            bodies.add(after(100L * (10 - i), i));
        }

        List<Integer> results = Loops.virtual(() -> Async.gather(bodies));

        assertThat(results).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void tasksPassedDirectlyAreAwaitedNotWrapped() throws Exception {
        Loops.virtual(() -> {
            Task<String> a = Async.createTask("a", after(200, "A"));
            Task<String> b = Async.createTask("b", after(100, "B"));
            int tasksBefore = Async.loop().tasks().size();

            List<String> results = Async.gather(a, b);

            assertThat(results).containsExactly("A", "B");
            assertThat(tasksBefore).as("gather made no task of its own for tasks passed in").isEqualTo(3);
            assertThat(Loops.nowMillis()).isEqualTo(200);
        });
    }

    @Test
    void aListOfTasksIsAwaited() throws Exception {
        Loops.virtual(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(Async.createTask(after(500 - 100L * i, i)));
            }

            List<Integer> results = Async.gather(tasks);

            assertThat(results).containsExactly(0, 1, 2, 3, 4);
            assertThat(tasks).allMatch(Task::isDone);
            assertThat(Loops.nowMillis()).isEqualTo(500);
        });
    }

    @Test
    void tasksAlreadyDoneAndBodiesMayBeMixed() throws Exception {
        Loops.virtual(() -> {
            Task<String> done = Async.createTask(() -> "early");
            Async.yieldNow();
            assertThat(done.isDone()).isTrue();

            List<String> results = Async.gather(after(100, "body"), done, () -> "plain");

            assertThat(results).containsExactly("body", "early", "plain");
        });
    }

    @Test
    void runnableBodiesAreAllWaitedFor() throws Exception {
        AtomicInteger finished = new AtomicInteger();
        long[] endedAt = new long[1];

        Loops.virtual(() -> {
            AsyncRunnable a = () -> {
                Async.sleep(ONE_SECOND);
                finished.incrementAndGet();
            };
            AsyncRunnable b = () -> {
                Async.sleep(Duration.ofSeconds(2));
                finished.incrementAndGet();
            };
            AsyncRunnable c = finished::incrementAndGet;

            Async.gather(a, b, c);

            endedAt[0] = Loops.nowMillis();
            assertThat(finished).hasValue(3);
        });

        assertThat(endedAt[0]).isEqualTo(2000);
    }

    @Test
    void runnableBodiesFailStructurally() throws Exception {
        IOException boom = new IOException("boom");
        boolean[] siblingFinally = new boolean[1];

        Throwable thrown = catchThrowable(() -> Loops.virtual(() -> {
            AsyncRunnable failing = () -> {
                Async.sleep(ONE_SECOND);
                throw boom;
            };
            AsyncRunnable slow = () -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    siblingFinally[0] = true;
                }
            };
            try {
                Async.gather(failing, slow);
            } finally {
                assertThat(siblingFinally[0]).as("sibling's finally ran before gather threw").isTrue();
                assertThat(Loops.nowMillis()).isEqualTo(1000);
            }
        }));

        assertThat(thrown).isSameAs(boom);
    }

    @Test
    void emptyGatherReturnsAnEmptyList() throws Exception {
        Loops.virtual(() -> {
            List<Object> none = Async.<Object>gather(new AsyncCallable<?>[0]);
            List<Object> fromList = Async.gather(List.<AsyncCallable<Object>>of());
            List<Outcome<Object>> settled = Async.gatherSettled();
            List<Outcome<Object>> settledFromList = Async.gatherSettled(List.<AsyncCallable<Object>>of());

            assertThat(none).isEmpty();
            assertThat(fromList).isEmpty();
            assertThat(settled).isEmpty();
            assertThat(settledFromList).isEmpty();
            assertThat(Loops.nowMillis()).isZero();
        });
    }

    @Test
    void resultsMayBeNull() throws Exception {
        List<String> results = Loops.virtual(() -> Async.gather(() -> null, after(10, "x"), () -> null));

        assertThat(results).containsExactly(null, "x", null);
    }

    // ------------------------------------------------------------------ concurrency and ordering

    @Test
    void childrenRunConcurrently() throws Exception {
        long[] endedAt = new long[1];

        List<Integer> results = Loops.virtual(() -> {
            List<Integer> r = Async.gather(after(1000, 1), after(1000, 2), after(1000, 3));
            endedAt[0] = Loops.nowMillis();
            return r;
        });

        assertThat(results).containsExactly(1, 2, 3);
        assertThat(endedAt[0]).as("three 1 s sleeps take 1 s together").isEqualTo(1000);
    }

    @Test
    void manyChildrenRunConcurrently() throws Exception {
        List<AsyncCallable<Integer>> bodies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            bodies.add(after(1000, i));
        }

        long[] endedAt = new long[1];
        List<Integer> results = Loops.virtual(() -> {
            List<Integer> r = Async.gather(bodies);
            endedAt[0] = Loops.nowMillis();
            return r;
        });

        assertThat(results).hasSize(1000);
        assertThat(results.get(999)).isEqualTo(999);
        assertThat(endedAt[0]).isEqualTo(1000);
    }

    @Test
    void childrenStartInOrderOnTheNextPassAfterGather() throws Exception {
        Script s = new Script();

        Loops.virtual(() -> {
            s.expect(1);
            // Scheduled before gather: the children's first steps come after it, as in asyncio.
            Async.loop().callSoon(() -> s.expect(2));
            List<String> r = Async.gather(
                    () -> {
                        s.expect(3);
                        // Scheduled during the children's first pass: runs after all of them started.
                        Async.loop().callSoon(() -> s.expect(6));
                        return "a";
                    },
                    () -> {
                        s.expect(4);
                        return "b";
                    },
                    () -> {
                        s.expect(5);
                        return "c";
                    });
            s.expect(7);
            assertThat(r).containsExactly("a", "b", "c");
            s.finish(8);
        });

        s.assertFinished();
    }

    @Test
    void gatherDoesNotRunChildrenInsideTheCall() throws Exception {
        Script s = new Script();

        Loops.virtual(() -> {
            Task<?> main = Async.currentTask();
            s.expect(1);
            Async.gather(() -> {
                s.expect(2);
                assertThat(Async.currentTask()).as("a child runs in its own task").isNotSameAs(main);
                return null;
            });
            s.finish(3);
        });

        s.assertFinished();
    }

    @Test
    void childrenInterleaveAtTheirSuspensionPoints() throws Exception {
        List<String> log = new ArrayList<>();

        Loops.virtual(() -> Async.gather(
                () -> {
                    log.add("a1");
                    Async.yieldNow();
                    log.add("a2");
                    return null;
                },
                () -> {
                    log.add("b1");
                    Async.yieldNow();
                    log.add("b2");
                    return null;
                }));

        assertThat(log).containsExactly("a1", "b1", "a2", "b2");
    }

    // ------------------------------------------------------------------ structured failure

    @Test
    void firstFailureIsThrownUnchangedAndSiblingsAreCancelledFirst() throws Exception {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        boolean[] finallyRan = new boolean[2];
        boolean[] cancelled = new boolean[2];
        long[] thrownAt = {-1};

        Throwable thrown = catchThrowable(() -> Loops.virtual(() -> {
            try {
                return Async.gather(
                        () -> {
                            try {
                                Async.sleep(Duration.ofSeconds(10));
                                return "never";
                            } catch (CancelledException e) {
                                cancelled[0] = true;
                                throw e;
                            } finally {
                                finallyRan[0] = true;
                            }
                        },
                        failAfter(1000, boom),
                        () -> {
                            try {
                                Async.sleep(Duration.ofSeconds(20));
                                return "never";
                            } catch (CancelledException e) {
                                cancelled[1] = true;
                                throw e;
                            } finally {
                                finallyRan[1] = true;
                            }
                        });
            } finally {
                thrownAt[0] = Loops.nowMillis();
                assertThat(finallyRan).as("siblings' finally blocks ran before gather threw").containsExactly(true, true);
            }
        }));

        assertThat(thrown).isSameAs(boom);
        assertThat(thrown.getSuppressed()).isEmpty();
        assertThat(cancelled).as("siblings got CancelledException").containsExactly(true, true);
        assertThat(thrownAt[0]).isEqualTo(1000);
    }

    @Test
    void checkedExceptionIsThrownUnchanged() throws Exception {
        IOException io = new IOException("disk on fire");

        Throwable thrown = catchThrowable(() -> Loops.virtual(() -> Async.gather(after(500, "ok"), failAfter(100, io))));

        assertThat(thrown).isSameAs(io).isExactlyInstanceOf(IOException.class);
    }

    @Test
    void errorsAreThrownUnchangedToo() throws Exception {
        AssertionError err = new AssertionError("an Error, not an Exception");

        Throwable thrown = catchThrowable(() -> Loops.virtual(() -> Async.gather(
                after(500, "ok"),
                () -> {
                    Async.sleep(Duration.ofMillis(100));
                    throw err;
                })));

        assertThat(thrown).isSameAs(err);
    }

    @Test
    void theFirstFailureByTimeWinsNotTheFirstByPosition() throws Exception {
        IllegalStateException late = new IllegalStateException("late");
        IllegalArgumentException early = new IllegalArgumentException("early");

        Throwable thrown = catchThrowable(() -> Loops.virtual(() -> Async.gather(
                failAfter(2000, late),
                failAfter(1000, early))));

        assertThat(thrown).isSameAs(early);
        assertThat(thrown.getSuppressed()).as("the later one was cancelled before it could fail").isEmpty();
    }

    @Test
    void failuresAtTheSameTimeAreAttachedAsSuppressed() throws Exception {
        IOException first = new IOException("first");
        IllegalStateException second = new IllegalStateException("second");
        IllegalArgumentException third = new IllegalArgumentException("third");

        Throwable thrown = catchThrowable(() -> Loops.virtual(() -> Async.gather(
                failAfter(1000, first),
                after(5000, "slow"),
                failAfter(1000, second),
                failAfter(1000, third))));

        assertThat(thrown).isSameAs(first);
        assertThat(thrown.getSuppressed()).containsExactly(second, third);
    }

    @Test
    void aSiblingFailingInItsCancellationIsAttachedAsSuppressed() throws Exception {
        IOException boom = new IOException("boom");
        IllegalStateException cleanupFailed = new IllegalStateException("cleanup failed");
        long[] thrownAt = {-1};

        Throwable thrown = catchThrowable(() -> Loops.virtual(() -> {
            try {
                return Async.gather(
                        failAfter(1000, boom),
                        () -> {
                            try {
                                Async.sleep(Duration.ofHours(1));
                                return "never";
                            } catch (CancelledException e) {
                                Async.sleep(Duration.ofMillis(500)); // cleanup may suspend
                                throw cleanupFailed;
                            }
                        });
            } finally {
                thrownAt[0] = Loops.nowMillis();
            }
        }));

        assertThat(thrown).isSameAs(boom);
        assertThat(thrown.getSuppressed()).containsExactly(cleanupFailed);
        assertThat(thrownAt[0]).as("gather waited for the sibling's suspending cleanup").isEqualTo(1500);
    }

    @Test
    void siblingsFinallyBlocksMaySuspendBeforeGatherThrows() throws Exception {
        IOException boom = new IOException("boom");
        List<String> log = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> Loops.virtual(() -> {
            try {
                Async.gather(
                        failAfter(100, boom),
                        () -> {
                            try {
                                Async.sleep(Duration.ofHours(1));
                                return "never";
                            } finally {
                                Async.sleep(Duration.ofMillis(300));
                                log.add("sibling cleaned up at " + Loops.nowMillis());
                            }
                        });
            } finally {
                log.add("gather threw at " + Loops.nowMillis());
            }
        }));

        assertThat(thrown).isSameAs(boom);
        assertThat(log).containsExactly("sibling cleaned up at 400", "gather threw at 400");
    }

    @Test
    void taskPassedInIsCancelledWhenASiblingFails() throws Exception {
        IOException boom = new IOException("boom");

        Loops.virtual(() -> {
            Task<String> passed = Async.createTask("passed", after(10_000, "never"));

            assertThatThrownBy(() -> Async.gather(passed, failAfter(100, boom))).isSameAs(boom);

            assertThat(passed.isCancelled()).as("structured: no child outlives gather").isTrue();
            assertThat(Async.loop().tasks()).containsExactly(Async.currentTask());
        });
    }

    @Test
    void noChildOutlivesAFailedGather() throws Exception {
        Loops.virtual(() -> {
            List<Task<?>> before = Async.loop().tasks();
            assertThatThrownBy(() -> Async.gather(
                    after(10_000, "a"),
                    failAfter(10, new IOException("boom")),
                    after(20_000, "b"))).isInstanceOf(IOException.class);

            assertThat(Async.loop().tasks()).isEqualTo(before);
        });
    }

    @Test
    void aFailureThrownByGatherIsNotReportedAsUnretrieved() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        IOException boom = new IOException("boom");
        IllegalStateException suppressed = new IllegalStateException("suppressed");

        Throwable thrown = catchThrowable(() -> Loops.recording(reports).run(() -> Async.gather(
                failAfter(1000, boom),
                failAfter(1000, suppressed),
                after(2000, "slow"))));

        assertThat(thrown).isSameAs(boom);
        assertThat(reports).as("gather retrieved every child's failure").isEmpty();
    }

    @Test
    void gatherCanBeCaughtAndTheTaskCarriesOn() throws Exception {
        String result = Loops.virtual(() -> {
            try {
                Async.gather(failAfter(100, new IOException("boom")), after(1000, "x"));
                return "unreachable";
            } catch (IOException e) {
                Async.sleep(ONE_SECOND); // not cancelled: the gathering task may still suspend
                return "recovered at " + Loops.nowMillis();
            }
        });

        assertThat(result).isEqualTo("recovered at 1100");
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void aChildCancelledFromOutsideMakesGatherThrowCancelledException() throws Exception {
        boolean[] siblingCancelled = new boolean[1];

        String result = Loops.virtual(() -> {
            Task<String> victim = Async.createTask("victim", after(10_000, "never"));
            Async.loop().callLater(ONE_SECOND, () -> victim.cancel("from outside"));
            try {
                Async.gather(victim, () -> {
                    try {
                        Async.sleep(Duration.ofHours(1));
                        return "never";
                    } catch (CancelledException e) {
                        siblingCancelled[0] = true;
                        throw e;
                    }
                });
                return "unreachable";
            } catch (CancelledException e) {
                assertThat(e).hasMessage("from outside");
                assertThat(Loops.nowMillis()).isEqualTo(1000);
                // The gathering task itself was not cancelled: it may carry on.
                assertThat(Async.currentTask().cancelling()).isZero();
                Async.sleep(ONE_SECOND);
                return "carried on at " + Loops.nowMillis();
            }
        });

        assertThat(result).isEqualTo("carried on at 2000");
        assertThat(siblingCancelled[0]).isTrue();
    }

    @Test
    void aBodyThatCancelsItselfMakesGatherThrowCancelledException() throws Exception {
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Async.gather(
                    after(1000, "x"),
                    () -> {
                        Async.sleep(Duration.ofMillis(10));
                        throw new CancelledException("by itself");
                    }))
                    .isInstanceOf(CancelledException.class)
                    .hasMessage("by itself");
            assertThat(Loops.nowMillis()).isEqualTo(10);
        });
    }

    @Test
    void cancellingTheGathererCancelsEveryChildAndWaitsForThem() throws Exception {
        List<String> log = new ArrayList<>();

        Loops.virtual(() -> {
            Task<List<String>> gatherer = Async.createTask("gatherer", () -> {
                try {
                    return Async.gather(
                            () -> {
                                try {
                                    Async.sleep(Duration.ofHours(1));
                                    return "a";
                                } finally {
                                    Async.sleep(Duration.ofMillis(300)); // a suspending cleanup
                                    log.add("a cleaned up at " + Loops.nowMillis());
                                }
                            },
                            () -> {
                                try {
                                    Async.sleep(Duration.ofHours(2));
                                    return "b";
                                } finally {
                                    Async.sleep(Duration.ofMillis(700));
                                    log.add("b cleaned up at " + Loops.nowMillis());
                                }
                            },
                            () -> {
                                try {
                                    Async.sleep(Duration.ofHours(3));
                                    return "c";
                                } finally {
                                    log.add("c cleaned up at " + Loops.nowMillis());
                                }
                            });
                } catch (CancelledException e) {
                    log.add("gatherer got CancelledException at " + Loops.nowMillis());
                    throw e;
                }
            });
            Async.sleep(Duration.ofMillis(500));
            assertThat(gatherer.cancel()).isTrue();

            assertThatThrownBy(gatherer::await).isInstanceOf(CancelledException.class);
            assertThat(gatherer.isCancelled()).isTrue();
            log.add("awaiter saw it at " + Loops.nowMillis());
        });

        assertThat(log).containsExactly(
                "c cleaned up at 500",
                "a cleaned up at 800",
                "b cleaned up at 1200",
                "gatherer got CancelledException at 1200",
                "awaiter saw it at 1200");
    }

    @Test
    void cancellingTheGathererCancelsTasksPassedIn() throws Exception {
        Loops.virtual(() -> {
            Task<String> a = Async.createTask(after(10_000, "a"));
            Task<String> b = Async.createTask(after(20_000, "b"));
            Task<List<String>> gatherer = Async.createTask(() -> Async.gather(a, b));
            Async.sleep(ONE_SECOND);

            gatherer.cancel("stop");

            assertThatThrownBy(gatherer::await).isInstanceOf(CancelledException.class).hasMessage("stop");
            assertThat(a.isCancelled()).isTrue();
            assertThat(b.isCancelled()).isTrue();
            assertThat(Async.loop().tasks()).containsExactly(Async.currentTask());
        });
    }

    @Test
    void cancellingTheGathererBeforeChildrenStartedCancelsThemAll() throws Exception {
        AtomicInteger bodiesRun = new AtomicInteger();

        Loops.virtual(() -> {
            Task<List<Integer>> gatherer = Async.createTask(() -> Async.gather(
                    () -> bodiesRun.incrementAndGet(),
                    () -> bodiesRun.incrementAndGet()));
            Async.yieldNow(); // the gatherer has called gather; the children have not started yet
            gatherer.cancel();

            assertThatThrownBy(gatherer::await).isInstanceOf(CancelledException.class);
        });

        assertThat(bodiesRun).as("children cancelled before their first step never run").hasValue(0);
    }

    @Test
    void cancellingTheMainTaskOfRunWhileGatheringFinishesTheChildren() throws Exception {
        boolean[] finallyRan = new boolean[3];

        // Async.run's shutdown cancels a leftover gathering task; it must wait for its children.
        Loops.virtual(() -> {
            Async.createTask("leftover", () -> Async.gather(
                    () -> {
                        try {
                            Async.sleep(Duration.ofHours(1));
                        } finally {
                            Async.sleep(ONE_SECOND);
                            finallyRan[0] = true;
                        }
                        return null;
                    },
                    () -> {
                        try {
                            Async.sleep(Duration.ofHours(1));
                        } finally {
                            finallyRan[1] = true;
                        }
                        return null;
                    }));
            Async.sleep(ONE_SECOND);
            finallyRan[2] = true;
        });

        assertThat(finallyRan).containsExactly(true, true, true);
    }

    @Test
    void nestedGathersCancelTheWholeTreeBeforeTheFailureSurfaces() throws Exception {
        IOException boom = new IOException("boom");
        List<String> log = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> Loops.virtual(() -> {
            try {
                Async.gather(
                        () -> Async.gather(
                                () -> {
                                    try {
                                        Async.sleep(Duration.ofHours(1));
                                    } finally {
                                        Async.sleep(Duration.ofMillis(200));
                                        log.add("grandchild 1 cleaned up at " + Loops.nowMillis());
                                    }
                                    return null;
                                },
                                () -> {
                                    try {
                                        Async.sleep(Duration.ofHours(1));
                                    } finally {
                                        log.add("grandchild 2 cleaned up at " + Loops.nowMillis());
                                    }
                                    return null;
                                }),
                        failAfter(1000, boom));
            } finally {
                log.add("outer gather threw at " + Loops.nowMillis());
            }
        }));

        assertThat(thrown).isSameAs(boom);
        assertThat(log).containsExactly(
                "grandchild 2 cleaned up at 1000",
                "grandchild 1 cleaned up at 1200",
                "outer gather threw at 1200");
    }

    @Test
    void aGathererCancelledWhileSiblingsCleanUpAfterAFailureEndsCancelled() throws Exception {
        IOException boom = new IOException("boom");
        boolean[] cleanedUp = new boolean[1];
        Throwable[] seenByGatherer = new Throwable[1];

        Loops.virtual(() -> {
            Task<List<String>> gatherer = Async.createTask(() -> {
                try {
                    return Async.gather(
                            failAfter(1000, boom),
                            () -> {
                                try {
                                    Async.sleep(Duration.ofHours(1));
                                    return "never";
                                } finally {
                                    Async.sleep(ONE_SECOND);
                                    cleanedUp[0] = true;
                                }
                            });
                } catch (Throwable e) {
                    seenByGatherer[0] = e;
                    throw e;
                }
            });
            Async.sleep(Duration.ofMillis(1500)); // the failure happened; the sibling is cleaning up
            gatherer.cancel();

            assertThatThrownBy(gatherer::await).isInstanceOf(CancelledException.class);
            assertThat(cleanedUp[0]).as("the sibling finished its cleanup first").isTrue();
            assertThat(Loops.nowMillis()).isEqualTo(2000);
        });

        assertThat(seenByGatherer[0]).isInstanceOf(CancelledException.class);
        assertThat(seenByGatherer[0].getSuppressed()).as("the failure is not lost").containsExactly(boom);
    }

    @Test
    void aChildFailingWhileTheGathererIsCancelledIsNotLost() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        IllegalStateException cleanupFailed = new IllegalStateException("cleanup failed");
        Throwable[] seenByGatherer = new Throwable[1];

        Loops.recording(reports).run(() -> {
            Task<List<String>> gatherer = Async.createTask(() -> {
                try {
                    return Async.gather(
                            () -> {
                                try {
                                    Async.sleep(Duration.ofHours(1));
                                    return "never";
                                } catch (CancelledException e) {
                                    throw cleanupFailed;
                                }
                            },
                            after(10_000, "b"));
                } catch (Throwable e) {
                    seenByGatherer[0] = e;
                    throw e;
                }
            });
            Async.sleep(ONE_SECOND);
            gatherer.cancel();
            assertThatThrownBy(gatherer::await).isInstanceOf(CancelledException.class);
        });

        List<Throwable> surfaced = new ArrayList<>(List.of(seenByGatherer[0].getSuppressed()));
        reports.forEach(r -> surfaced.add(r.exception()));
        assertThat(surfaced)
                .as("a child's failure is attached to the cancellation or reported, never dropped")
                .contains(cleanupFailed);
    }

    @Test
    void aSettledChildFailingWhileTheGathererIsCancelledIsNotLost() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        IllegalStateException cleanupFailed = new IllegalStateException("cleanup failed");
        Throwable[] seenByGatherer = new Throwable[1];

        Loops.recording(reports).run(() -> {
            Task<List<Outcome<String>>> gatherer = Async.createTask(() -> {
                try {
                    return Async.gatherSettled(() -> {
                        try {
                            Async.sleep(Duration.ofHours(1));
                            return "never";
                        } catch (CancelledException e) {
                            throw cleanupFailed;
                        }
                    });
                } catch (Throwable e) {
                    seenByGatherer[0] = e;
                    throw e;
                }
            });
            Async.sleep(ONE_SECOND);
            gatherer.cancel();
            assertThatThrownBy(gatherer::await).isInstanceOf(CancelledException.class);
        });

        List<Throwable> surfaced = new ArrayList<>(List.of(seenByGatherer[0].getSuppressed()));
        reports.forEach(r -> surfaced.add(r.exception()));
        assertThat(surfaced)
                .as("a child's failure is attached to the cancellation or reported, never dropped")
                .contains(cleanupFailed);
    }

    // ------------------------------------------------------------------ gatherSettled

    @Test
    void settledReportsEachOutcomeInOrderAndNeverThrowsForChildren() throws Exception {
        IOException io = new IOException("io");
        long[] endedAt = new long[1];

        List<Outcome<String>> outcomes = Loops.virtual(() -> {
            Task<String> cancelledLater = Async.createTask(after(10_000, "never"));
            Async.loop().callLater(Duration.ofMillis(500), () -> cancelledLater.cancel("bye"));
            List<Outcome<String>> o = Async.gatherSettled(
                    after(1000, "ok"),
                    failAfter(100, io),
                    cancelledLater,
                    after(2000, "later"));
            endedAt[0] = Loops.nowMillis();
            return o;
        });

        assertThat(outcomes).hasSize(4);
        assertThat(outcomes.get(0)).isEqualTo(new Outcome.Success<>("ok"));
        assertThat(outcomes.get(1)).isInstanceOf(Outcome.Failure.class);
        assertThat(((Outcome.Failure<String>) outcomes.get(1)).exception()).isSameAs(io);
        assertThat(outcomes.get(2)).isInstanceOf(Outcome.Cancelled.class);
        assertThat(((Outcome.Cancelled<String>) outcomes.get(2)).exception()).hasMessage("bye");
        assertThat(outcomes.get(3)).isEqualTo(new Outcome.Success<>("later"));
        assertThat(endedAt[0]).as("a failure does not stop the others; all are waited for").isEqualTo(2000);
    }

    @Test
    void settledOutcomesRethrowThroughGetOrThrow() throws Exception {
        IOException io = new IOException("io");

        List<Outcome<String>> outcomes = Loops.virtual(() -> Async.gatherSettled(
                List.of(after(10, "v"), failAfter(10, io), () -> {
                    throw new CancelledException("self");
                })));

        assertThat(outcomes.get(0).isSuccess()).isTrue();
        assertThat(outcomes.get(0).getOrThrow()).isEqualTo("v");
        assertThat(outcomes.get(1).isSuccess()).isFalse();
        assertThatThrownBy(outcomes.get(1)::getOrThrow).isSameAs(io);
        assertThat(outcomes.get(2).isSuccess()).isFalse();
        assertThatThrownBy(outcomes.get(2)::getOrThrow).isInstanceOf(CancelledException.class).hasMessage("self");
    }

    @Test
    void settledDoesNotCancelSiblingsOfAFailure() throws Exception {
        boolean[] finished = new boolean[1];

        List<Outcome<String>> outcomes = Loops.virtual(() -> Async.gatherSettled(
                failAfter(10, new IOException("boom")),
                () -> {
                    Async.sleep(ONE_SECOND);
                    finished[0] = true;
                    return "done";
                }));

        assertThat(finished[0]).isTrue();
        assertThat(outcomes.get(1)).isEqualTo(new Outcome.Success<>("done"));
    }

    @Test
    void settledRunsChildrenConcurrently() throws Exception {
        long[] endedAt = new long[1];

        Loops.virtual(() -> {
            Async.gatherSettled(after(1000, 1), failAfter(1000, new IOException()), after(1000, 3));
            endedAt[0] = Loops.nowMillis();
        });

        assertThat(endedAt[0]).isEqualTo(1000);
    }

    @Test
    void settledFailuresAreRetrievedSoNothingIsReported() throws Exception {
        List<ErrorReport> reports = Loops.reports();

        List<Outcome<Object>> outcomes = Loops.recording(reports).run(() -> Async.gatherSettled(
                failAfter(10, new IOException("a")),
                failAfter(20, new IllegalStateException("b"))));

        assertThat(outcomes).allMatch(o -> o instanceof Outcome.Failure);
        assertThat(reports).isEmpty();
    }

    @Test
    void cancellingTheSettledGathererCancelsEveryChildAndWaits() throws Exception {
        boolean[] finallyRan = new boolean[2];
        long[] sawAt = {-1};

        Loops.virtual(() -> {
            Task<List<Outcome<String>>> gatherer = Async.createTask(() -> Async.gatherSettled(
                    () -> {
                        try {
                            Async.sleep(Duration.ofHours(1));
                            return "a";
                        } finally {
                            Async.sleep(ONE_SECOND);
                            finallyRan[0] = true;
                        }
                    },
                    () -> {
                        try {
                            Async.sleep(Duration.ofHours(1));
                            return "b";
                        } finally {
                            finallyRan[1] = true;
                        }
                    }));
            Async.sleep(Duration.ofMillis(100));
            gatherer.cancel();

            assertThatThrownBy(gatherer::await).isInstanceOf(CancelledException.class);
            sawAt[0] = Loops.nowMillis();
            assertThat(finallyRan).containsExactly(true, true);
        });

        assertThat(sawAt[0]).isEqualTo(1100);
    }

    // ------------------------------------------------------------------ misuse

    @Test
    void aTaskOfAnotherLoopIsRejected() throws Exception {
        CompletableFuture<Task<String>> handoff = new CompletableFuture<>();
        CompletableFuture<String> release = new CompletableFuture<>();
        CompletableFuture<String> otherLoopResult = new CompletableFuture<>();

        Thread other = Thread.ofPlatform().name("other-loop").start(() -> {
            try {
                otherLoopResult.complete(Async.run(() -> {
                    Task<String> t = Async.createTask("foreign", () -> Async.await(release));
                    handoff.complete(t);
                    return t.await();
                }));
            } catch (Throwable e) {
                otherLoopResult.completeExceptionally(e);
            }
        });

        try {
            Loops.virtual(() -> {
                Task<String> foreign = Async.await(handoff);

                assertThatThrownBy(() -> Async.gather(foreign))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("another event loop");
                assertThatThrownBy(() -> Async.gatherSettled(List.of(foreign)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("another event loop");
            });
        } finally {
            release.complete("released");
            other.join();
        }

        assertThat(otherLoopResult).isCompletedWithValue("released");
    }

    @Test
    void aTaskOfAClosedLoopIsRejected() throws Exception {
        List<Task<String>> stash = new ArrayList<>();
        Loops.virtual(() -> {
            stash.add(Async.createTask(() -> "old"));
        });

        Loops.virtual(() -> {
            assertThatThrownBy(() -> Async.gather(stash.get(0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another event loop");
        });
    }

    @Test
    void aRejectedGatherLeavesNoOrphanChildren() throws Exception {
        List<Task<String>> stash = new ArrayList<>();
        Loops.virtual(() -> {
            stash.add(Async.createTask(() -> "old"));
        });
        boolean[] bodyRan = new boolean[1];

        Loops.virtual(() -> {
            AsyncCallable<String> body = () -> {
                bodyRan[0] = true;
                return "new";
            };
            assertThatThrownBy(() -> Async.gather(body, stash.get(0)))
                    .isInstanceOf(IllegalStateException.class);

            assertThat(Async.loop().tasks()).as("no child was left behind").containsExactly(Async.currentTask());
            Async.yieldNow();
            assertThat(bodyRan[0]).as("a rejected gather starts nothing").isFalse();
        });
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void gatheringTheCurrentTaskIsRefused() throws Exception {
        Loops.virtual(() -> {
            Task<?> self = Async.currentTask();

            assertThatThrownBy(() -> Async.gather(self))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("itself");
            assertThatThrownBy(() -> Async.gatherSettled(List.of(self)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("itself");
        });
    }

    @Test
    void gatherOutsideALoopNamesTheCall() {
        assertThatThrownBy(() -> Async.gather(() -> 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Async.gather");
        assertThatThrownBy(() -> Async.gatherSettled(() -> 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Async.gatherSettled");
    }

    @Test
    void gatherFromAPlainCallbackIsRejected() throws Exception {
        Loops.virtual(() -> {
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            Async.loop().callSoon(() -> seen.complete(catchThrowable(() -> Async.gather(() -> 1))));
            Async.yieldNow();

            assertThat(seen.getNow(null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Async.gather")
                    .hasMessageContaining("inside a task");
        });
    }
}
