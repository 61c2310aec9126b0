package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventLoopTest {

    @Test
    void inLoopThreadIsTrueOnTheLoopsThreadOnlyWhileItRuns() throws Exception {
        EventLoop[] loop = new EventLoop[1];
        java.util.concurrent.CompletableFuture<Boolean> elsewhere = new java.util.concurrent.CompletableFuture<>();
        boolean[] inBody = new boolean[1];
        boolean inCallback = Loops.virtual(() -> {
            loop[0] = Async.loop();
            inBody[0] = loop[0].inLoopThread();
            Thread other = new Thread(() -> elsewhere.complete(loop[0].inLoopThread()));
            other.start();
            other.join();
            Promise<Boolean> p = Async.loop().createPromise();
            Async.loop().callSoon(() -> p.complete(loop[0].inLoopThread()));
            Async.loop().callSoon(() -> { }); // two ready: the loop runs them, no task runs ahead
            return p.await();
        });
        assertThat(inCallback).as("callbacks run on the loop's thread on both engines").isTrue();
        assertThat(inBody[0]).as("a task body runs on the loop's thread on the fast path only")
                .isEqualTo(Async.engine() == EngineKind.CONTINUATION);
        assertThat(elsewhere.get()).isFalse();
        assertThat(loop[0].inLoopThread()).as("after the loop closed").isFalse();
    }

    @Test
    void onTheThreadsEngineTheTaskWhoseStepEndsRunsThePassOn() throws Exception {
        // Direct hand-off: no trip through the loop's thread between two steps. The callback b
        // schedules runs in the next pass right after a's step, on a's thread, which acts as
        // the loop's thread meanwhile; on the fast path everything runs on the loop's thread.
        List<String> log = new ArrayList<>();
        Thread[] seen = new Thread[3]; // main, a, the callback
        boolean[] inLoop = new boolean[1];
        Loops.virtual(() -> {
            seen[0] = Thread.currentThread();
            Task<Void> a = Async.createTask(() -> {
                seen[1] = Thread.currentThread();
                log.add("a");
                Async.yieldNow();
                log.add("a again");
            });
            Task<Void> b = Async.createTask(() -> {
                log.add("b");
                Async.loop().callSoon(() -> {
                    seen[2] = Thread.currentThread();
                    inLoop[0] = Async.loop().inLoopThread();
                    log.add("callback");
                });
                Async.yieldNow();
                log.add("b again");
            });
            a.await();
            b.await();
        });
        assertThat(log).containsExactly("a", "b", "a again", "callback", "b again");
        assertThat(inLoop[0]).as("inLoopThread in the callback").isTrue();
        assertThat(seen[2]).as("the callback's thread")
                .isSameAs(Async.engine() == EngineKind.THREADS ? seen[1] : seen[0]);
    }

    @Test
    void aJvmErrorInACallbackRunOnATasksThreadEndsTheLoopAsOnTheLoopsOwn() {
        for (boolean handOff : new boolean[] {false, true}) { // handed off only with running ahead on
            List<String> log = new ArrayList<>();
            assertThatThrownBy(() -> Runner.create().virtualTime(true).runAhead(handOff).run(() -> {
                Task<Void> other = Async.createTask(() -> {
                    log.add("other");
                    Async.yieldNow(); // the callback is next in this pass: run on this thread when handed off
                    log.add("other again");
                });
                Async.loop().callSoon(() -> {
                    throw new StackOverflowError("from a callback");
                });
                try {
                    Async.yieldNow();
                    log.add("main again");
                } catch (CancelledException e) {
                    log.add("main cancelled");
                }
                other.await();
            })).as("hand-off: %s", handOff).isInstanceOf(StackOverflowError.class).hasMessage("from a callback");
            assertThat(log).as("hand-off: %s", handOff).containsExactly("other", "main cancelled");
        }
    }

    @Test
    void callSoonRunsCallbacksInOrderOnTheNextPass() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            EventLoop loop = Async.loop();
            loop.callSoon(() -> log.add("a"));
            loop.callSoon(() -> log.add("b"));
            log.add("scheduled");
            Async.yieldNow();
            log.add("after yield");
        });
        assertThat(log).containsExactly("scheduled", "a", "b", "after yield");
    }

    @Test
    void callbacksScheduledDuringAPassRunInTheNextPass() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            EventLoop loop = Async.loop();
            loop.callSoon(() -> {
                log.add("first");
                loop.callSoon(() -> log.add("scheduled by first"));
            });
            loop.callSoon(() -> log.add("second"));
            Async.yieldNow(); // our step was scheduled after first and second, before "scheduled by first"
            log.add("task");
            Async.yieldNow();
        });
        assertThat(log).containsExactly("first", "second", "task", "scheduled by first");
    }

    @Test
    void cancelledHandleNeverRuns() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Handle h = Async.loop().callSoon(() -> log.add("cancelled one"));
            Async.loop().callSoon(() -> log.add("kept"));
            h.cancel();
            assertThat(h.isCancelled()).isTrue();
            Async.yieldNow();
        });
        assertThat(log).containsExactly("kept");
    }

    @Test
    void timersFireByDeadlineAndTiesInCreationOrder() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            EventLoop loop = Async.loop();
            loop.callLater(Duration.ofMillis(30), () -> log.add("30 ms"));
            loop.callLater(Duration.ofMillis(10), () -> log.add("10 ms first"));
            loop.callLater(Duration.ofMillis(20), () -> log.add("20 ms"));
            loop.callLater(Duration.ofMillis(10), () -> log.add("10 ms second"));
            loop.callAt(loop.time() + 10_000_000, () -> log.add("10 ms third (callAt)"));
            Async.sleep(Duration.ofMillis(50));
        });
        assertThat(log).containsExactly("10 ms first", "10 ms second", "10 ms third (callAt)", "20 ms", "30 ms");
    }

    @Test
    void timerFiresAtItsDeadlineInLoopTime() throws Exception {
        long[] firedAt = new long[1];
        Loops.virtual(() -> {
            EventLoop loop = Async.loop();
            TimerHandle h = loop.callLater(Duration.ofMillis(250), () -> firedAt[0] = loop.time());
            assertThat(h.when()).isEqualTo(loop.time() + 250_000_000L);
            Async.sleep(Duration.ofSeconds(1));
        });
        assertThat(firedAt[0]).isEqualTo(250_000_000L);
    }

    @Test
    void cancelledTimerNeverFiresAndDoesNotKeepTheLoopBusy() throws Exception {
        List<String> log = new ArrayList<>();
        long end = Loops.virtual(() -> {
            EventLoop loop = Async.loop();
            TimerHandle late = loop.callLater(Duration.ofHours(1), () -> log.add("late"));
            loop.callLater(Duration.ofMillis(5), () -> log.add("early"));
            late.cancel();
            Async.sleep(Duration.ofMillis(10));
            return loop.time();
        });
        assertThat(log).containsExactly("early");
        assertThat(end).isEqualTo(10_000_000L);
    }

    @Test
    void manyCancelledTimersArePurgedAndTheRestStillFireInOrder() throws Exception {
        List<Integer> fired = new ArrayList<>();
        Loops.virtual(() -> {
            EventLoop loop = Async.loop();
            List<TimerHandle> handles = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                handles.add(loop.callLater(Duration.ofMillis(1000 - i), () -> fired.add(n)));
            }
            for (int i = 0; i < 1000; i++) {
                if (i % 10 != 0) {
                    handles.get(i).cancel();
                }
            }
            Async.sleep(Duration.ofSeconds(2));
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 990; i >= 0; i -= 10) {
            expected.add(i);
        }
        assertThat(fired).containsExactlyElementsOf(expected);
    }

    @Test
    void aCallbackThatThrowsGoesToTheExceptionHandlerAndTheLoopGoesOn() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        List<String> log = new ArrayList<>();
        Loops.recording(reports).run(() -> {
            Async.loop().callSoon(() -> {
                throw new IllegalArgumentException("bad callback");
            });
            Async.loop().callSoon(() -> log.add("next callback"));
            Async.yieldNow();
            log.add("task");
        });
        assertThat(log).containsExactly("next callback", "task");
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).exception()).isInstanceOf(IllegalArgumentException.class).hasMessage("bad callback");
        assertThat(reports.get(0).message()).contains("Exception in callback");
    }

    @Test
    void setExceptionHandlerFromInsideTheLoop() throws Exception {
        List<ErrorReport> seen = new ArrayList<>();
        Loops.virtual(() -> {
            Async.loop().setExceptionHandler(seen::add);
            Async.loop().callExceptionHandler(new ErrorReport("custom", null, null));
        });
        assertThat(seen).extracting(ErrorReport::message).containsExactly("custom");
    }

    @Test
    void callSoonThreadsafeWakesAWaitingLoop() throws Exception {
        String result = Runner.create().run(() -> {
            EventLoop loop = Async.loop();
            Promise<String> p = new Promise<>();
            CompletableFuture<Void> handedIn = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                loop.callSoonThreadsafe(() -> p.complete("from another thread"));
                handedIn.complete(null);
            });
            t.start();
            Async.await(handedIn); // keeps the loop knowing that thread-side work is in flight
            return p.await();
        });
        assertThat(result).isEqualTo("from another thread");
    }

    @Test
    void callSoonThreadsafeOnAClosedLoopIsAClearError() throws Exception {
        EventLoop loop = Loops.virtual(Async::loop);
        assertThat(loop.isClosed()).isTrue();
        assertThatThrownBy(() -> loop.callSoonThreadsafe(() -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void loopOnlyCallsFromAnotherThreadAreRejected() throws Exception {
        Throwable[] error = new Throwable[1];
        Loops.virtual(() -> {
            EventLoop loop = Async.loop();
            Async.toThread(() -> {
                try {
                    loop.callSoon(() -> { });
                } catch (Throwable e) {
                    error[0] = e;
                }
                return null;
            });
        });
        assertThat(error[0]).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("callSoon")
                .hasMessageContaining("callSoonThreadsafe");
    }

    @Test
    void aTasksCancellationCountIsReadOnItsLoopOnly() throws Exception {
        Throwable[] error = new Throwable[1];
        int[] seen = new int[1];
        List<Task<Void>> kept = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> sleeper = Async.createTask(() -> Async.sleep(Duration.ofSeconds(5)));
            kept.add(sleeper);
            for (int i = 0; i < 5; i++) {
                sleeper.cancel(); // five requests: two of them are counted in the loop's table
            }
            Async.toThread(() -> {
                try {
                    seen[0] = sleeper.cancelling();
                } catch (Throwable e) {
                    error[0] = e;
                }
                return null;
            });
            assertThat(sleeper.cancelling()).isEqualTo(5);
        });
        assertThat(error[0]).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Task.cancelling")
                .hasMessageContaining("loop.submit");
        assertThat(seen[0]).isZero();
        assertThat(kept.get(0).cancelling()).isEqualTo(5); // once the loop has closed, any thread may read it
    }

    @Test
    void tasksAndDumpListLiveTasksWithWhatTheyWaitOn() throws Exception {
        Loops.virtual(() -> {
            Task<Void> sleeper = Async.createTask("sleeper", () -> Async.sleep(Duration.ofSeconds(5)));
            Task<Object> waiter = Async.createTask("waiter", () -> sleeper.await());
            Async.yieldNow();
            EventLoop loop = Async.loop();
            assertThat(loop.tasks()).extracting(Task::name).containsExactly("main", "sleeper", "waiter");
            String dump = loop.dumpTasks();
            assertThat(dump).contains("'sleeper': sleeping, 5 s left\n")
                    .contains("'waiter': awaiting task 'sleeper'\n")
                    .contains("'main': running\n");
            waiter.cancel();
        });
    }

    @Test
    void aDumpSaysWhatEachTaskWaitsOnInTheWordsOfTheCallItMade() throws Exception {
        Loops.virtual(() -> {
            dev.simmer.sync.Event event = new dev.simmer.sync.Event();
            dev.simmer.sync.Lock lock = new dev.simmer.sync.Lock();
            dev.simmer.sync.Semaphore semaphore = new dev.simmer.sync.Semaphore(0);
            dev.simmer.sync.Queue<String> empty = new dev.simmer.sync.Queue<>();
            dev.simmer.sync.Queue<String> full = new dev.simmer.sync.Queue<>(1);
            dev.simmer.sync.Condition condition = new dev.simmer.sync.Condition();
            full.putNowait("x");
            List<Task<?>> tasks = new ArrayList<>();
            tasks.add(Async.createTask("holder", () -> {
                try (var held = lock.acquire()) {
                    Async.sleep(Duration.ofMillis(1500));
                }
            }));
            tasks.add(Async.createTask("event", () -> event.await()));
            tasks.add(Async.createTask("lock", () -> lock.acquire().close()));
            tasks.add(Async.createTask("semaphore", () -> semaphore.acquire().close()));
            tasks.add(Async.createTask("getter", () -> empty.get()));
            tasks.add(Async.createTask("putter", () -> full.put("y")));
            tasks.add(Async.createTask("condition", () -> {
                try (var held = condition.acquire()) {
                    condition.await();
                }
            }));
            Task<?> sleeper = Async.createTask("sleeper", () -> Async.sleep(Duration.ofMinutes(90)));
            tasks.add(sleeper);
            tasks.add(Async.createTask("awaiter", () -> sleeper.await()));
            Async.yieldNow();
            String dump = Async.loop().dumpTasks();
            assertThat(dump.lines().filter(l -> l.startsWith("  '"))).containsExactly(
                    "  'main': running",
                    "  'holder': sleeping, 1.5 s left",
                    "  'event': awaiting Event.await() (" + event + ")",
                    "  'lock': awaiting Lock.acquire() (" + lock + ")",
                    "  'semaphore': awaiting Semaphore.acquire() (" + semaphore + ")",
                    "  'getter': awaiting Queue.get() (" + empty + ")",
                    "  'putter': awaiting Queue.put() (" + full + ")",
                    "  'condition': awaiting Condition.await() (" + condition + ")",
                    "  'sleeper': sleeping, 1 h 30 min left",
                    "  'awaiter': awaiting task 'sleeper'");
            assertThat(lock.toString()).contains("locked by holder");
            tasks.forEach(Task::cancel);
            Async.gatherSettled(tasks);
        });
    }

    @Test
    void dumpsSayWhatGatherAsCompletedAndAGeneratorWaitFor() throws Exception {
        Loops.virtual(() -> {
            Task<?> gatherer = Async.createTask("gatherer", () -> Async.gather(
                    () -> { Async.sleep(Duration.ofSeconds(1)); return 1; },
                    () -> { Async.sleep(Duration.ofSeconds(2)); return 2; }));
            Task<?> slow = Async.createTask("slow", () -> Async.sleep(Duration.ofSeconds(3)));
            Task<?> nexter = Async.createTask("nexter", () -> {
                for (Task<?> t : Async.asCompleted(List.of(slow))) {
                    t.await();
                }
            });
            AsyncIterable<Integer> numbers = AsyncIterable.generate(out -> {
                Async.sleep(Duration.ofSeconds(4));
                out.emit(1);
            });
            Task<?> consumer = Async.createTask("consumer", () -> {
                try (AsyncIterator<Integer> it = numbers.iterator()) {
                    it.hasNext();
                }
            });
            Async.yieldNow();
            Async.yieldNow();
            String dump = Async.loop().dumpTasks();
            assertThat(dump).contains("'gatherer': awaiting Async.gather(...): 2 of 2 tasks still running")
                    .contains("'nexter': awaiting Async.asCompleted(...): the next task to end")
                    .contains("'consumer': awaiting AsyncIterator.hasNext(): the generator's next element")
                    .doesNotContain("Promise@");
            for (Task<?> t : List.of(gatherer, nexter, consumer, slow)) {
                t.cancel();
            }
            Async.gatherSettled(List.of(gatherer, nexter, consumer, slow));
            return null;
        });
    }

    @Test
    void engineIsTheSelectedOne() throws Exception {
        EngineKind inside = Loops.virtual(() -> Async.loop().engine());
        assertThat(inside).isEqualTo(Async.engine());
        String forced = System.getProperty("simmer.engine");
        if (forced != null) {
            assertThat(Async.engine().toString()).isEqualTo(forced);
        }
    }

    @Test
    void aFutureSubmittedAfterTheClosingLoopsCallbackPassesAreSpentStillEnds() throws Exception {
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] f = new CompletableFuture[1];
        Async.run(() -> {
            EventLoop loop = Async.loop();
            Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    loop.callSoon(() -> loop.callSoon(() -> loop.callSoon(() -> {
                        Async.createTask(() -> null);
                        f[0] = loop.submit(() -> 1);
                    })));
                }
                return null;
            });
            Async.yieldNow();
        });
        assertThat(f[0]).as("every future submit hands out ends").isDone();
        assertThatThrownBy(f[0]::get).hasCauseInstanceOf(CancelledException.class);
    }

    @Test
    void aFutureOfASubmittedTaskThatNeverEndsEndsWhenTheLoopGivesUpOnIt() throws Exception {
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] f = new CompletableFuture[1];
        List<ErrorReport> reports = new ArrayList<>();
        Runner.create().exceptionHandler(reports::add).run(() -> {
            f[0] = Async.loop().submit(() -> {
                while (true) {
                    try {
                        return new Promise<Integer>().await(); // swallows every cancellation: the loop gives up
                    } catch (CancelledException stubborn) {
                        // once more
                    }
                }
            });
            Async.yieldNow();
            Async.yieldNow();
        });
        assertThat(reports).anySatisfy(r -> assertThat(r.message()).contains("ignored its cancellation"));
        assertThat(f[0]).isDone();
        assertThatThrownBy(f[0]::get).hasCauseInstanceOf(CancelledException.class);
    }
}
