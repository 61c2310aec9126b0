package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Debug mode's creation sites, and loop-only calls made from other threads. */
class DebugModeTest {

    private static Task<Void> startDoomedTask() {
        return Async.createTask("doomed", () -> {
            throw new IllegalStateException("never looked at");
        });
    }

    @Test
    void anUnretrievedFailureSaysWhereItsTaskWasCreated() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        Loops.recording(reports).debug(true).run(() -> {
            startDoomedTask();
            Async.sleep(Duration.ofSeconds(1));
        });
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.message())
                .contains("'doomed' failed and nobody retrieved its exception")
                .contains("(task created at dev.simmer.DebugModeTest.startDoomedTask(DebugModeTest.java:"));
    }

    @Test
    void withoutDebugModeNoSiteIsRecorded() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        Loops.recording(reports).debug(false).run(() -> {
            startDoomedTask();
            Async.sleep(Duration.ofSeconds(1));
        });
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.message()).doesNotContain("created at"));
    }

    @Test
    void dumpTasksShowsTheCreationSiteInDebugMode() throws Exception {
        String[] dumps = new String[2];
        for (boolean debug : new boolean[] {true, false}) {
            Runner.create().virtualTime(true).debug(debug).run(() -> {
                Task<Void> sleeper = Async.createTask("sleeper", () -> Async.sleep(Duration.ofHours(1)));
                Async.yieldNow();
                dumps[debug ? 0 : 1] = Async.loop().dumpTasks();
                sleeper.cancel();
            });
        }
        assertThat(dumps[0]).contains("'sleeper': sleeping")
                .containsPattern("created at dev\\.simmer\\.DebugModeTest\\.lambda\\$dumpTasksShowsTheCreationSiteInDebugMode\\$\\d+\\(DebugModeTest\\.java:\\d+\\)");
        assertThat(dumps[1]).contains("'sleeper': sleeping").doesNotContain("created at");
    }

    @Test
    void loopOnlyCallsFromAnotherThreadAreCaught() throws Exception {
        List<Throwable> errors = new ArrayList<>();
        Runner.create().virtualTime(true).debug(true).run(() -> {
            EventLoop loop = Async.loop();
            Promise<String> promise = loop.createPromise();
            Task<Void> task = Async.createTask(() -> Async.sleep(Duration.ofSeconds(1)));
            List<Callable<?>> calls = List.of(
                    () -> loop.callSoon(() -> { }),
                    () -> loop.callLater(Duration.ofSeconds(1), () -> { }),
                    loop::time,
                    loop::createPromise,
                    loop::tasks,
                    loop::dumpTasks,
                    loop::stats,
                    () -> promise.complete("x"),
                    task::cancel,
                    () -> Async.createTask(() -> { }));
            for (Callable<?> call : calls) {
                errors.add(Async.toThread(() -> catchThrowable(call::call)));
            }
            loop.callSoonThreadsafe(() -> { }); // the one thread-safe door still works
            task.await();
            assertThat(promise.isDone()).isFalse();
        });
        assertThat(errors).hasSize(10).allSatisfy(e -> assertThat(e).isInstanceOf(IllegalStateException.class));
        assertThat(errors.subList(0, 9)).allSatisfy(e -> assertThat(e)
                .hasMessageContaining("must be called from the event loop's thread")
                .hasMessageContaining("callSoonThreadsafe"));
        assertThat(errors.get(9)).hasMessageContaining("needs a running event loop");
    }
}
