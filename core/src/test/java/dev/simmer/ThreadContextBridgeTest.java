package dev.simmer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadContextBridgeTest {
    private static final ThreadLocal<String> REQUEST = new ThreadLocal<>();
    private static final ContextVar<String> USER = new ContextVar<>("user", "-");

    private final ThreadContextBridge<String> bridge = ThreadContextBridge.ofThreadLocal("request", REQUEST);
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void register() {
        assertThat(ThreadContextBridge.register(bridge)).isTrue();
    }

    @AfterEach
    void unregister() {
        ThreadContextBridge.unregister(bridge);
        REQUEST.remove();
    }

    private void logRequest(String where) {
        log.add(where + ": " + REQUEST.get());
    }

    @Test
    void concurrentTasksEachKeepTheirOwnValueAcrossSuspensions() throws Exception {
        Loops.virtual(() -> {
            AsyncRunnable[] handlers = new AsyncRunnable[3];
            for (int i = 0; i < handlers.length; i++) {
                String id = "r-" + i;
                handlers[i] = () -> {
                    REQUEST.set(id);
                    for (int round = 0; round < 3; round++) {
                        Async.yieldNow(); // the others run, and set theirs
                        assertThat(REQUEST.get()).isEqualTo(id);
                    }
                    Async.sleep(Duration.ofMillis(10));
                    logRequest(id);
                };
            }
            Async.gather(List.of(Async.createTask(handlers[0]), Async.createTask(handlers[1]),
                    Async.createTask(handlers[2])));
            logRequest("main");
        });
        assertThat(log).containsExactlyInAnyOrder("r-0: r-0", "r-1: r-1", "r-2: r-2", "main: null");
    }

    @Test
    void aChildStartsFromItsCreatorsLatestValueAndTheirChangesStaySeparate() throws Exception {
        Loops.virtual(() -> {
            REQUEST.set("parent");
            Async.yieldNow();
            REQUEST.set("parent-2"); // after the last suspension: the child must still see it
            Task<Void> child = Async.createTask(() -> {
                logRequest("child starts");
                REQUEST.set("child");
                Async.sleep(Duration.ofMillis(10));
                logRequest("child ends");
            });
            REQUEST.set("parent-3");
            Async.sleep(Duration.ofMillis(5));
            logRequest("parent meanwhile");
            child.await();
            logRequest("parent");
        });
        assertThat(log).containsExactly("child starts: parent-2", "parent meanwhile: parent-3",
                "child ends: child", "parent: parent-3");
    }

    @Test
    void aChildAwaitedAtOnceRunsAheadWithItsOwnValueAndTheParentKeepsItsOwn() throws Exception {
        Loops.virtual(() -> {
            REQUEST.set("parent");
            String seen = Async.createTask(() -> {
                String start = REQUEST.get();
                REQUEST.set("child");
                return start;
            }).await();
            log.add("child saw " + seen);
            logRequest("parent");
        });
        assertThat(log).containsExactly("child saw parent", "parent: parent");
    }

    @Test
    void callbacksSeeTheLoopsOwnValueAndTasksTheyCreateStartFromIt() throws Exception {
        Loops.virtual(() -> {
            REQUEST.set("main");
            Promise<Void> done = Async.loop().createPromise();
            Async.loop().callSoon(() -> {
                logRequest("callback");
                REQUEST.set("loop");
            });
            Async.loop().callLater(Duration.ofMillis(1), () -> {
                logRequest("later callback");
                Async.createTask(() -> {
                    logRequest("task of a callback");
                    done.complete(null);
                });
            });
            Async.sleep(Duration.ofMillis(2));
            logRequest("main");
            done.await();
        });
        assertThat(log).containsExactly("callback: null", "later callback: loop", "task of a callback: loop",
                "main: main");
    }

    @Test
    void contextRunInstallsTheValuesOfTheContextItEntersAndKeepsWhatTheBodySets() throws Exception {
        Loops.virtual(() -> {
            REQUEST.set("request-7");
            USER.set("ann");
            ContextVar.Context request = ContextVar.copyContext();
            REQUEST.set("other");
            Promise<Void> done = Async.loop().createPromise();
            Async.loop().callSoon(() -> {
                try {
                    request.run(() -> {
                        logRequest("in the copied context, " + USER.get());
                        REQUEST.set("request-7b");
                    });
                    logRequest("callback after run");
                    request.run(() -> logRequest("run again"));
                    done.complete(null);
                } catch (Exception e) {
                    done.fail(e);
                }
            });
            done.await();
            logRequest("task");
            Async.createTask(() -> logRequest("task in the context"), request).await();
        });
        assertThat(log).containsExactly("in the copied context, ann: request-7", "callback after run: null",
                "run again: request-7b", "task: other", "task in the context: request-7b");
    }

    @Test
    void callbacksShareTheLoopsValueWhateverTasksRunBetweenThemAndWhicheverThreadRunsThem() throws Exception {
        Loops.virtual(() -> {
            AsyncRunnable scheduler = () -> {
                String own = "task " + Async.currentTask().name();
                REQUEST.set(own);
                for (int i = 0; i < 4; i++) {
                    String next = own + " cb" + i;
                    Async.loop().callSoon(() -> {
                        log.add(REQUEST.get() + " -> " + next);
                        REQUEST.set(next);
                    });
                    Async.yieldNow(); // alone or not: the callback may run ahead on this task's thread
                    assertThat(REQUEST.get()).isEqualTo(own);
                }
            };
            Async.createTask("a", scheduler).await(); // one task: its callbacks run ahead
            Async.gather(List.of(Async.createTask("b", scheduler), Async.createTask("c", scheduler)));
        });
        // each callback saw what the one before it set, in the loop's own context
        assertThat(log).hasSize(12).first().isEqualTo("null -> task a cb0");
        for (int i = 1; i < log.size(); i++) {
            String previousSet = log.get(i - 1).split(" -> ")[1];
            assertThat(log.get(i)).startsWith(previousSet + " -> ");
        }
    }

    @Test
    void aCallbackThatCouldRunAheadOnATasksThreadSeesWhatAnEarlierCallbackSet() throws Exception {
        Loops.virtual(() -> {
            Async.loop().callSoon(() -> REQUEST.set("set by a callback"));
            Task<Void> t = Async.createTask(() -> { // runs after that callback, in the same pass
                Async.loop().callSoon(() -> logRequest("next callback"));
                Async.sleep(Duration.ofMillis(1)); // that callback alone is ready: it may run ahead here
            });
            t.await();
        });
        assertThat(log).containsExactly("next callback: set by a callback");
    }

    @Test
    void aTaskThatSuspendsInsideContextRunKeepsTheContextsValueUntilTheRunEnds() throws Exception {
        Loops.virtual(() -> {
            REQUEST.set("outer");
            ContextVar.Context inner = ContextVar.Context.empty();
            inner.run(() -> {
                logRequest("run starts");
                REQUEST.set("inner");
                Async.createTask(() -> REQUEST.set("a sibling's")).await();
                Async.sleep(Duration.ofMillis(1));
                logRequest("run after a sleep");
            });
            logRequest("after the run");
            inner.run(() -> logRequest("run again"));
        });
        assertThat(log).containsExactly("run starts: null", "run after a sleep: inner", "after the run: outer",
                "run again: inner");
    }

    @Test
    void toThreadWorkSeesTheTasksValueAndTheWorkerGetsItsOwnBack() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            pool.submit(() -> REQUEST.set("the pool's own")).get();
            Runner.create().run(() -> {
                REQUEST.set("r-9");
                log.add("toThread: " + Async.toThread(() -> {
                    String seen = REQUEST.get();
                    REQUEST.set("changed on the worker");
                    return seen;
                }));
                log.add("runInExecutor: " + Async.runInExecutor(pool, REQUEST::get));
                logRequest("task after");
            });
            log.add("pool after: " + pool.submit(REQUEST::get).get());
        } finally {
            pool.shutdown();
        }
        assertThat(log).containsExactly("toThread: r-9", "runInExecutor: r-9", "task after: r-9",
                "pool after: the pool's own");
    }

    @Test
    void theMainTaskStartsEmptyAndTheCallingThreadGetsItsValueBack() throws Exception {
        REQUEST.set("outside");
        Loops.virtual(() -> {
            logRequest("main");
            REQUEST.set("inside");
            Async.yieldNow();
        });
        logRequest("after Async.run");
        assertThat(log).containsExactly("main: null", "after Async.run: outside");
    }

    @Test
    void aCancelledTaskSeesItsValueInItsFinallyBlock() throws Exception {
        Loops.virtual(() -> {
            Task<Void> sleeper = Async.createTask(() -> {
                REQUEST.set("sleeper");
                try {
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    logRequest("finally");
                    Async.yieldNow();
                    logRequest("finally after a yield");
                }
            });
            REQUEST.set("main");
            Async.sleep(Duration.ofMillis(1));
            sleeper.cancel();
            Async.gatherSettled(List.of(sleeper));
            logRequest("main");
        });
        assertThat(log).containsExactly("finally: sleeper", "finally after a yield: sleeper", "main: main");
    }

    @Test
    void anAwaitedFutureCompletedElsewhereResumesTheTaskWithItsValue() throws Exception {
        Runner.create().run(() -> {
            REQUEST.set("waiter");
            CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> "done");
            log.add(Async.await(f));
            logRequest("after await");
        });
        assertThat(log).containsExactly("done", "after await: waiter");
    }

    @Test
    void aBridgeThatThrowsIsReportedAndTheTaskGoesOn() throws Exception {
        ThreadContextBridge<String> broken = ThreadContextBridge.of("broken", () -> {
            throw new IllegalStateException("no capture today");
        }, value -> { });
        ThreadContextBridge.register(broken);
        List<ErrorReport> reports = Loops.reports();
        try {
            Loops.recording(reports).run(() -> {
                REQUEST.set("r");
                Async.yieldNow();
                logRequest("after a yield");
            });
        } finally {
            ThreadContextBridge.unregister(broken);
        }
        assertThat(log).containsExactly("after a yield: r");
        assertThat(reports).isNotEmpty().allSatisfy(r -> {
            assertThat(r.message()).contains("ThreadContextBridge 'broken' failed to capture");
            assertThat(r.exception()).hasMessage("no capture today");
        });
    }

    @Test
    void registeringTwiceDoesNothingAndUnregisteredBridgesLeaveNewLoopsAlone() throws Exception {
        assertThat(ThreadContextBridge.register(bridge)).isFalse();
        assertThat(ThreadContextBridge.registered()).containsOnlyOnce(bridge);
        assertThat(ThreadContextBridge.unregister(bridge)).isTrue();
        assertThat(ThreadContextBridge.unregister(bridge)).isFalse();
        assertThat(ThreadContextBridge.registered()).doesNotContain(bridge);
        REQUEST.set("outside");
        Loops.virtual(() -> logRequest("main, nothing bridged")); // the thread's own value, as without Simmer
        assertThat(log).containsExactly(
                "main, nothing bridged: " + (Async.engine() == EngineKind.CONTINUATION ? "outside" : "null"));
    }
}
