package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextVarTest {
    private static final ContextVar<String> REQUEST = new ContextVar<>("request");
    private static final ContextVar<Integer> DEPTH = new ContextVar<>("depth", 0);

    @Test
    void aTaskStartsWithACopyOfItsCreatorsContext() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            REQUEST.set("r-1");
            Task<Void> child = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(10));
                log.add("child sees " + REQUEST.get());
            });
            REQUEST.set("r-2"); // after the child was created: it keeps r-1
            child.await();
            log.add("parent sees " + REQUEST.get());
        });
        assertThat(log).containsExactly("child sees r-1", "parent sees r-2");
    }

    @Test
    void aChildsSetIsInvisibleToItsParentAndSiblings() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            REQUEST.set("parent");
            Task<Void> a = Async.createTask(() -> {
                REQUEST.set("a");
                Async.sleep(Duration.ofMillis(10));
                log.add("a: " + REQUEST.get());
            });
            Task<Void> b = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(5));
                log.add("b: " + REQUEST.get());
                REQUEST.set("b");
                Async.yieldNow();
                log.add("b after set: " + REQUEST.get());
            });
            Async.gather(a, b);
            log.add("parent: " + REQUEST.get());
        });
        assertThat(log).containsExactly("b: parent", "b after set: b", "a: a", "parent: parent");
    }

    @Test
    void eachTaskKeepsItsValueAcrossSuspensionsWhileOthersInterleave() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                tasks.add(Async.createTask(() -> {
                    REQUEST.set("req-" + n);
                    for (int k = 0; k < 5; k++) {
                        Async.sleep(Duration.ofMillis((n * 7 + k * 3) % 11));
                        if (!REQUEST.get().equals("req-" + n)) {
                            log.add("task " + n + " saw " + REQUEST.get());
                        }
                    }
                }));
            }
            Async.gather(tasks);
        });
        assertThat(log).isEmpty();
    }

    @Test
    void defaultsAndMissingValues() throws Exception {
        Loops.virtual(() -> {
            assertThat(DEPTH.get()).isZero();
            assertThat(REQUEST.get("none")).isEqualTo("none");
            assertThatThrownBy(REQUEST::get).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("request").hasMessageContaining("no value");
            REQUEST.set(null);
            assertThat(REQUEST.get()).isNull(); // null is a value
        });
    }

    @Test
    void resetRestoresThePreviousValueAndWithScopesIt() throws Exception {
        Loops.virtual(() -> {
            ContextVar.Token<Integer> t1 = DEPTH.set(1);
            ContextVar.Token<Integer> t2 = DEPTH.set(2);
            DEPTH.reset(t2);
            assertThat(DEPTH.get()).isEqualTo(1);
            DEPTH.reset(t1);
            assertThat(DEPTH.get()).isZero(); // back to "never set": the default
            String inside = REQUEST.with("scoped", () -> {
                Async.yieldNow();
                return REQUEST.get();
            });
            assertThat(inside).isEqualTo("scoped");
            assertThat(REQUEST.get("unset")).isEqualTo("unset");
            ContextVar<Integer> other = new ContextVar<>("other");
            @SuppressWarnings({"unchecked", "rawtypes"})
            ContextVar.Token<Integer> foreign = (ContextVar.Token) other.set(7);
            assertThatThrownBy(() -> DEPTH.reset(foreign)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'other'");
        });
    }

    @Test
    void callbacksSeeTheLoopsOwnContextAndEachRunStartsEmpty() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            REQUEST.set("main's");
            Async.loop().callSoon(() -> log.add("callback: " + REQUEST.get("none")));
            Async.yieldNow();
        });
        Loops.virtual(() -> {
            log.add("next run: " + REQUEST.get("none"));
        });
        assertThat(log).containsExactly("callback: none", "next run: none");
    }

    // ------------------------------------------------------------------ copyContext, Context.run

    @Test
    void copyContextIsASnapshotThatLaterSetsDoNotChange() throws Exception {
        Loops.virtual(() -> {
            REQUEST.set("r-1");
            ContextVar.Context snapshot = ContextVar.copyContext();
            REQUEST.set("r-2");
            DEPTH.set(5);
            assertThat(snapshot.get(REQUEST, null)).isEqualTo("r-1");
            assertThat(snapshot.contains(DEPTH)).isFalse();
            assertThat(snapshot.get(DEPTH, -1)).isEqualTo(-1); // the variable's default is not consulted
            assertThat(snapshot.run(() -> REQUEST.get() + " depth " + DEPTH.get())).isEqualTo("r-1 depth 0");
            assertThat(REQUEST.get()).isEqualTo("r-2");
            assertThat(snapshot.toString()).isEqualTo("Context{request=r-1}");
        });
    }

    @Test
    void runKeepsWhatItsBodySetsInTheContextAndRestoresTheCallerAlsoOnFailure() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            REQUEST.set("caller");
            ContextVar.Context ctx = ContextVar.Context.empty();
            ctx.run(() -> {
                s.expect(1);
                assertThat(REQUEST.get("unset")).isEqualTo("unset");
                REQUEST.set("inside");
                Async.sleep(Duration.ofMillis(10)); // the values hold across a suspension
                assertThat(REQUEST.get()).isEqualTo("inside");
            });
            assertThat(REQUEST.get()).isEqualTo("caller");
            assertThat(ctx.get(REQUEST, null)).isEqualTo("inside"); // kept for the next run, as Python's
            assertThat(ctx.run(() -> REQUEST.get())).isEqualTo("inside");
            s.expect(2);
            assertThatThrownBy(() -> ctx.run(() -> {
                DEPTH.set(3);
                throw new java.io.IOException("boom");
            })).isInstanceOf(java.io.IOException.class);
            assertThat(DEPTH.get()).isZero();
            assertThat(ctx.get(DEPTH, null)).isEqualTo(3);
            s.finish(3);
        });
        s.assertFinished();
    }

    @Test
    void aContextRunsOneBodyAtATimeAndACopyIsIndependent() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            REQUEST.set("shared");
            ContextVar.Context ctx = ContextVar.copyContext();
            Task<Void> holder = Async.createTask("holder", () -> ctx.run(() -> {
                s.expect(2);
                Async.sleep(Duration.ofMillis(10));
                s.expect(4);
            }));
            s.expect(1);
            Async.yieldNow();
            s.expect(3);
            assertThatThrownBy(() -> ctx.run(() -> null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already entered").hasMessageContaining("holder")
                    .hasMessageContaining("copy()");
            assertThatThrownBy(() -> ctx.run(() -> ctx.run(() -> null))).isInstanceOf(IllegalStateException.class);
            ContextVar.Context copy = ctx.copy();
            copy.run(() -> REQUEST.set("in the copy"));
            assertThat(ctx.get(REQUEST, null)).isEqualTo("shared");
            holder.await();
            s.expect(5);
            assertThat(ctx.run(() -> REQUEST.get())).isEqualTo("shared"); // free again
            s.finish(6);
        });
        s.assertFinished();
    }

    @Test
    void aContextIsLiveWhileABodyRunsInIt() throws Exception {
        // Python's Context: get, contains and copy see a set made inside run at once
        ContextVar<Integer> c = new ContextVar<>("c", 0);
        Loops.virtual(() -> {
            ContextVar.Context ctx = ContextVar.Context.empty();
            ctx.run(() -> {
                c.set(42);
                assertThat(ctx.get(c, null)).isEqualTo(42);
                assertThat(ctx.contains(c)).isTrue();
                ContextVar.Context copy = ctx.copy();
                assertThat(copy.get(c, null)).isEqualTo(42);
                c.set(43);
                assertThat(copy.get(c, null)).as("a copy is a snapshot").isEqualTo(42);
                assertThat(ctx.get(c, null)).isEqualTo(43);
            });
            assertThat(c.get()).isZero();
        });
    }

    @Test
    void enteringTheContextATaskRunsInIsAnError() throws Exception {
        // Python: RuntimeError, "cannot enter context: ... is already entered"
        Loops.virtual(() -> {
            ContextVar.Context mine = Async.currentTask().context();
            assertThatThrownBy(() -> mine.run(() -> null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already entered").hasMessageContaining("copy()");
            ContextVar.Context ctx = ContextVar.Context.empty();
            Task<String> t = Async.createTask(() -> ctx.run(() -> "entered"), "t", ctx);
            assertThatThrownBy(t::await).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already entered").hasMessageContaining("task 't'");
            assertThat(ctx.run(() -> "from another task, between its steps")).startsWith("from");
            assertThat(mine.copy().run(() -> "a copy is free")).isEqualTo("a copy is free");
        });
    }

    @Test
    void resetRefusesAUsedTokenAndChangesNothing() throws Exception {
        Loops.virtual(() -> {
            ContextVar.Token<Integer> t = DEPTH.set(1);
            DEPTH.reset(t);
            DEPTH.set(5);
            assertThatThrownBy(() -> DEPTH.reset(t)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("used already");
            assertThat(DEPTH.get()).isEqualTo(5);
        });
    }

    @Test
    void resetRefusesATokenMadeInAnotherContextAndChangesNothing() throws Exception {
        Loops.virtual(() -> {
            DEPTH.set(1);
            ContextVar.Token<Integer> fromChild = Async.createTask(() -> DEPTH.set(2)).await();
            assertThatThrownBy(() -> DEPTH.reset(fromChild)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another context");
            assertThat(DEPTH.get()).isEqualTo(1);

            ContextVar.Context ctx = ContextVar.copyContext();
            ContextVar.Token<Integer> inRun = ctx.run(() -> DEPTH.set(3));
            assertThatThrownBy(() -> DEPTH.reset(inRun)).isInstanceOf(IllegalArgumentException.class);
            assertThat(DEPTH.get()).isEqualTo(1);
            ctx.run(() -> DEPTH.reset(inRun)); // where it was made: fine, once
            assertThat(ctx.get(DEPTH, null)).isEqualTo(1);
            assertThatThrownBy(() -> ctx.run(() -> {
                DEPTH.reset(inRun);
                return null;
            })).isInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void tasksCreatedInsideRunStartFromTheContextsValues() throws Exception {
        Loops.virtual(() -> {
            REQUEST.set("caller");
            ContextVar.Context ctx = ContextVar.copyContext();
            ctx.run(() -> REQUEST.set("ctx"));
            Task<String> child = ctx.run(() -> Async.createTask(() -> REQUEST.get()));
            assertThat(child.await()).isEqualTo("ctx");
        });
    }

    @Test
    void aCallbackCanRunInATasksContext() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            REQUEST.set("r-9");
            ContextVar.Context ctx = ContextVar.copyContext();
            Async.loop().callSoon(() -> {
                log.add("callback: " + REQUEST.get("none"));
                try {
                    ctx.run(() -> log.add("callback in ctx: " + REQUEST.get()));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                log.add("callback after: " + REQUEST.get("none"));
            });
            Async.yieldNow();
        });
        assertThat(log).containsExactly("callback: none", "callback in ctx: r-9", "callback after: none");
    }

    // ------------------------------------------------------------------ createTask(body, context)

    @Test
    void aTaskCreatedWithAContextStartsFromItsValuesNotTheCallers() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            REQUEST.set("request A");
            ContextVar.Context a = ContextVar.copyContext();
            REQUEST.set("request B");
            Task<String> audit = Async.createTask(() -> {
                s.expect(2);
                String seen = REQUEST.get();
                REQUEST.set("set by the task"); // goes into the context, as asyncio's
                Async.yieldNow();
                return seen + ", then " + REQUEST.get();
            }, "audit", a);
            Task<Void> clean = Async.createTask(() -> {
                s.expect(3);
                assertThat(REQUEST.get("none")).isEqualTo("none");
                assertThat(DEPTH.get()).isZero();
            }, ContextVar.Context.empty());
            s.expect(1);
            assertThat(audit.name()).isEqualTo("audit");
            assertThat(audit.await()).isEqualTo("request A, then set by the task");
            clean.await();
            assertThat(a.get(REQUEST, null)).isEqualTo("set by the task"); // the task wrote into it
            assertThat(audit.context()).isSameAs(a);
            assertThat(REQUEST.get()).isEqualTo("request B");
            assertThat(Async.createTask(() -> REQUEST.get(), a).await()).isEqualTo("set by the task");
            Task<Void> named = Async.createTask(() -> {
                assertThat(REQUEST.get()).isEqualTo("set by the task");
            }, "named", a);
            named.await();
            s.finish(4);
        });
        s.assertFinished();
    }

    @Test
    void tasksCreatedWithOneContextWriteIntoIt() throws Exception {
        // asyncio's test_context_4/5: create_task(coro, context=ctx) runs the task in ctx itself
        ContextVar<Integer> cvar = new ContextVar<>("cvar");
        List<Integer> ret = Loops.virtual(() -> {
            List<Integer> r = new ArrayList<>();
            ContextVar.Context ctx = ContextVar.copyContext();
            r.add(ctx.get(cvar, null));
            for (int val = 1; val <= 2; val++) {
                int v = val;
                Async.createTask(() -> {
                    Async.yieldNow();
                    cvar.set(v);
                }, ctx).await();
                r.add(ctx.get(cvar, null));
            }
            return r;
        });
        assertThat(ret).containsExactly(null, 1, 2);
    }

    @Test
    void aTasksContextIsItsOwnAndLive() throws Exception {
        // asyncio's Task.get_context(): the given context itself, or the task's own copy
        Loops.virtual(() -> {
            REQUEST.set("parent");
            ContextVar.Context given = ContextVar.Context.empty();
            Task<Void> inGiven = Async.createTask(() -> { }, given);
            assertThat(inGiven.context()).isSameAs(given);
            Task<Void> child = Async.createTask(() -> {
                REQUEST.set("child");
                Async.yieldNow();
            });
            assertThat(child.context().get(REQUEST, null)).isEqualTo("parent"); // a copy of the creator's
            child.await();
            assertThat(child.context().get(REQUEST, null)).isEqualTo("child");
            assertThat(REQUEST.get()).isEqualTo("parent");
            assertThat(Async.currentTask().context().get(REQUEST, null)).isEqualTo("parent");
            inGiven.await();
        });
    }

    @Test
    void aNullContextIsRejectedBeforeAnyTaskIsMade() throws Exception {
        Loops.virtual(() -> {
            int before = Async.loop().tasks().size();
            assertThatThrownBy(() -> Async.createTask(() -> "x", (ContextVar.Context) null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("context");
            assertThat(Async.loop().tasks()).hasSize(before);
        });
        assertThatThrownBy(ContextVar::copyContext).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ContextVar.copyContext");
    }

    // ------------------------------------------------------------------ off the loop

    @Test
    void toThreadRunsInACopyOfTheTasksContext() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            REQUEST.set("r-42");
            String seen = Async.toThread(() -> {
                String before = REQUEST.get();
                ContextVar.Token<String> t = REQUEST.set("set in the thread");
                log.add("thread: " + REQUEST.get());
                REQUEST.reset(t);
                REQUEST.set("left in the copy");
                log.add("copyContext: " + ContextVar.copyContext().get(REQUEST, null));
                return before;
            });
            log.add("task: " + seen + ", still " + REQUEST.get());
        });
        assertThat(log).containsExactly("thread: set in the thread", "copyContext: left in the copy",
                "task: r-42, still r-42");
    }

    @Test
    void runInExecutorDoesNotCopyTheContext() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            String seen = Loops.virtual(() -> {
                REQUEST.set("r-42");
                DEPTH.set(3);
                String r = Async.runInExecutor(pool, () -> {
                    DEPTH.set(9);
                    return REQUEST.get("unset") + ", depth " + DEPTH.get();
                });
                String again = Async.runInExecutor(pool, () -> "depth " + DEPTH.get());
                return r + "; then " + again + "; task " + REQUEST.get() + ", depth " + DEPTH.get();
            });
            assertThat(seen).isEqualTo("unset, depth 9; then depth 0; task r-42, depth 3");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void outsideALoopIsAClearError() {
        assertThatThrownBy(REQUEST::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("ContextVar.get");
        assertThatThrownBy(() -> REQUEST.set("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ContextVar.set");
    }
}
