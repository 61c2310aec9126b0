package dev.simmer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class TaskGroupTest {

    @Test
    void returnsTheBodysValueAfterEveryChildEnded() throws Exception {
        List<String> log = new ArrayList<>();
        int total = Loops.virtual(() -> Async.taskGroup(group -> {
            Task<Integer> a = group.createTask(() -> {
                Async.sleep(Duration.ofSeconds(1));
                return 1;
            });
            group.createTask("fire-and-forget", () -> {
                Async.sleep(Duration.ofSeconds(3));
                log.add("slow child done at " + Loops.nowMillis() + " ms");
            });
            return a.await() + 1;
        }));
        assertThat(total).isEqualTo(2);
        assertThat(log).containsExactly("slow child done at 3000 ms");
    }

    @Test
    void aFailingChildCancelsItsSiblingsAndTheBodyAndItsFailureIsThrownUnchanged() {
        IOException boom = new IOException("boom");
        List<String> log = new ArrayList<>();
        assertThatThrownBy(() -> Loops.virtual(() -> Async.taskGroup(group -> {
            group.createTask("sibling", () -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    log.add("sibling cancelled at " + Loops.nowMillis() + " ms");
                }
            });
            group.createTask("failing", () -> {
                Async.sleep(Duration.ofSeconds(1));
                throw boom;
            });
            try {
                Async.sleep(Duration.ofHours(1));
            } catch (CancelledException e) {
                log.add("body cancelled at " + Loops.nowMillis() + " ms");
                throw e;
            }
            return "unreachable";
        }))).isSameAs(boom);
        assertThat(log).containsExactlyInAnyOrder("sibling cancelled at 1000 ms", "body cancelled at 1000 ms");
    }

    @Test
    void otherFailuresAreAttachedAsSuppressed() {
        IOException first = new IOException("first");
        IllegalStateException second = new IllegalStateException("second");
        assertThatThrownBy(() -> Loops.virtual(() -> {
            Async.taskGroup(group -> {
                group.createTask(() -> {
                    Async.sleep(Duration.ofSeconds(1));
                    throw first;
                });
                group.createTask(() -> {
                    try {
                        Async.sleep(Duration.ofHours(1));
                    } finally {
                        throw second; // fails while being cancelled
                    }
                });
                return null;
            });
        })).isSameAs(first).satisfies(e -> assertThat(e.getSuppressed()).containsExactly(second));
    }

    @Test
    void theGroupOwnerCarriesOnNormallyAfterAFailure() throws Exception {
        String r = Loops.virtual(() -> {
            try {
                Async.taskGroup(group -> {
                    group.createTask(() -> {
                        throw new IOException("child");
                    });
                    Async.sleep(Duration.ofSeconds(1));
                    return null;
                });
            } catch (IOException expected) {
                // handled
            }
            assertThat(Async.currentTask().cancelling()).isZero();
            Async.sleep(Duration.ofSeconds(1)); // no stray cancellation
            return "carried on";
        });
        assertThat(r).isEqualTo("carried on");
    }

    @Test
    void theBodysOwnFailureCancelsTheChildren() {
        IllegalArgumentException bad = new IllegalArgumentException("body failed");
        List<String> log = new ArrayList<>();
        assertThatThrownBy(() -> Loops.virtual(() -> Async.taskGroup(group -> {
            group.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    log.add("child finally");
                }
            });
            Async.sleep(Duration.ofMillis(1));
            throw bad;
        }))).isSameAs(bad);
        assertThat(log).containsExactly("child finally");
    }

    @Test
    void cancellingTheOwnerCancelsEveryChildAndPropagates() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Object> owner = Async.createTask(() -> Async.taskGroup(group -> {
                for (int i = 0; i < 3; i++) {
                    int n = i;
                    group.createTask(() -> {
                        try {
                            Async.sleep(Duration.ofHours(1));
                        } finally {
                            Async.sleep(Duration.ofMillis(10)); // cleanup may suspend
                            log.add("child " + n);
                        }
                    });
                }
                group.join();
                return null;
            }));
            Async.sleep(Duration.ofSeconds(1));
            owner.cancel();
            assertThatThrownBy(owner::await).isInstanceOf(CancelledException.class);
            assertThat(Loops.nowMillis()).isEqualTo(1010);
        });
        assertThat(log).containsExactlyInAnyOrder("child 0", "child 1", "child 2");
    }

    @Test
    void aNestedGroupDoesNotLoseItsParentsCancellation() throws Exception {
        // CPython issue 116720: a child failure in an inner group and a cancel of the outer task
        // at the same time; the inner group must re-raise the failure and keep the cancel pending.
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> outer = Async.createTask(() -> {
                try {
                    Async.taskGroup(inner -> {
                        inner.createTask(() -> {
                            Async.sleep(Duration.ofSeconds(1));
                            throw new IOException("inner child failed");
                        });
                        Async.sleep(Duration.ofHours(1));
                        return null;
                    });
                } catch (IOException e) {
                    log.add("handled " + e.getMessage());
                }
                Async.sleep(Duration.ofSeconds(1)); // the outside cancel must arrive here
                log.add("outer was not cancelled");
            });
            Async.sleep(Duration.ofSeconds(1));
            outer.cancel("from outside"); // lands in the same pass as the child's failure
            assertThatThrownBy(outer::await).isInstanceOf(CancelledException.class);
        });
        assertThat(log).containsExactly("handled inner child failed");
    }

    @Test
    void tryWithResourcesFormWithJoin() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            try (TaskGroup group = TaskGroup.open()) {
                group.createTask(() -> {
                    Async.sleep(Duration.ofSeconds(2));
                    log.add("soup");
                });
                group.createTask(() -> {
                    Async.sleep(Duration.ofSeconds(1));
                    log.add("salad");
                });
                group.join();
                log.add("joined at " + Loops.nowMillis() + " ms");
            }
        });
        assertThat(log).containsExactly("salad", "soup", "joined at 2000 ms");
    }

    @Test
    void aCheckedChildFailureComesOutOfTryWithResourcesUnchanged() {
        IOException burnt = new IOException("toast burnt");
        List<String> log = new ArrayList<>();
        Throwable thrown = catchThrowable(() -> Loops.virtual(() -> {
            try (TaskGroup group = TaskGroup.open()) {
                group.createTask(() -> {
                    try {
                        Async.sleep(Duration.ofHours(1));
                    } finally {
                        log.add("sibling cancelled");
                    }
                });
                group.createTask(() -> {
                    Async.sleep(Duration.ofSeconds(1));
                    throw burnt;
                });
                group.join();
                log.add("unreachable");
            } catch (IOException e) { // join() declares it; close() adds no checked exception
                log.add("caught " + e.getMessage() + " at " + Loops.nowMillis() + " ms");
                throw e;
            }
        }));
        assertThat(thrown).isSameAs(burnt);
        assertThat(burnt.getSuppressed()).isEmpty();
        assertThat(log).containsExactly("sibling cancelled", "caught toast burnt at 1000 ms");
    }

    @Test
    void closeDeclaresNoCheckedExceptionAndKeepsAChildFailureWhenJoinWasSkipped() {
        IOException burnt = new IOException("toast burnt");
        Throwable thrown = catchThrowable(() -> Loops.virtual(() -> {
            TaskGroup group = TaskGroup.open();
            group.createTask(() -> {
                throw burnt;
            });
            Async.sleep(Duration.ofSeconds(1)); // the child has failed; the body goes on (no join)
            Runnable close = group::close;      // compiles: close() throws nothing checked
            close.run();
        }));
        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("join()");
        assertThat(thrown.getSuppressed()).containsExactly(burnt);
    }

    @Test
    void tryWithResourcesCloseWithoutJoinCancelsTheChildrenAndSaysSo() {
        IOException bodyFailure = new IOException("body");
        List<String> log = new ArrayList<>();
        assertThatThrownBy(() -> Loops.virtual(() -> {
            try (TaskGroup group = TaskGroup.open()) {
                group.createTask(() -> {
                    try {
                        Async.sleep(Duration.ofHours(1));
                    } finally {
                        log.add("child cancelled");
                    }
                });
                Async.yieldNow();
                throw bodyFailure;
            }
        })).isSameAs(bodyFailure).satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                .satisfies(s -> assertThat(s).isInstanceOf(IllegalStateException.class).hasMessageContaining("join()")));
        assertThat(log).containsExactly("child cancelled");
    }

    @Test
    void cancellingTheGroupAsAWhole() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Async.taskGroup(group -> {
                group.createTask(() -> {
                    try {
                        Async.sleep(Duration.ofHours(1));
                    } finally {
                        log.add("child cancelled");
                    }
                });
                group.createTask(() -> {
                    Async.sleep(Duration.ofSeconds(1));
                    group.cancel();
                });
                Async.sleep(Duration.ofHours(1));
                log.add("body not cancelled");
                return null;
            })).isInstanceOf(CancelledException.class);
            assertThat(Async.currentTask().cancelling()).isZero();
        });
        assertThat(log).containsExactly("child cancelled");
    }

    @Test
    void noNewTasksOnceTheGroupEnded() throws Exception {
        Loops.virtual(() -> {
            TaskGroup[] escaped = new TaskGroup[1];
            Async.taskGroup(group -> escaped[0] = group);
            assertThatThrownBy(() -> escaped[0].createTask(() -> 1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("finished");
        });
    }

    @Test
    void childrenCanStartMoreChildren() throws Exception {
        List<Integer> seen = new ArrayList<>();
        Loops.virtual(() -> Async.taskGroup(group -> {
            group.createTask(() -> {
                seen.add(1);
                group.createTask(() -> {
                    Async.sleep(Duration.ofSeconds(1));
                    seen.add(2);
                });
            });
            return null;
        }));
        assertThat(seen).containsExactly(1, 2);
    }
    @Test
    void createTaskTakesANameAndAContextAsAsyncioDoes() throws Exception {
        // asyncio 3.11+: tg.create_task(coro, name=n, context=ctx)
        ContextVar<String> request = new ContextVar<>("request", "none");
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            request.set("caller");
            ContextVar.Context ctx = ContextVar.copyContext();
            ctx.run(() -> request.set("in ctx"));
            Async.taskGroup(group -> {
                Task<String> named = group.createTask(() -> "named " + request.get(), "fetch");
                Task<Void> quiet = group.createTask(() -> {
                    log.add("runnable " + request.get());
                }, "log");
                Task<String> inCtx = group.createTask(() -> {
                    String seen = request.get();
                    request.set("written by the child");
                    return seen;
                }, "child", ctx);
                Task<Void> inEmpty = group.createTask(() -> {
                    log.add("empty " + request.get());
                }, ContextVar.Context.empty());
                assertThat(named.name()).isEqualTo("fetch");
                assertThat(quiet.name()).isEqualTo("log");
                assertThat(inCtx.name()).isEqualTo("child");
                assertThat(inCtx.context()).isSameAs(ctx);
                log.add(named.await());
                log.add("child saw " + inCtx.await());
                inEmpty.await();
                return null;
            });
            log.add("ctx now: " + ctx.get(request, null));
            log.add("caller: " + request.get());
            assertThatThrownBy(() -> Async.taskGroup(group -> group.createTask(() -> "x", "n", null)))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("context");
        });
        assertThat(log).containsExactly("runnable caller", "empty none", "named caller", "child saw in ctx",
                "ctx now: written by the child", "caller: caller");
    }
}
