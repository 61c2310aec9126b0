package dev.simmer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WaitTest {

    private static Task<String> after(String name, long millis) {
        return Async.createTask(name, () -> {
            Async.sleep(Duration.ofMillis(millis));
            return name;
        });
    }

    private static Task<String> failingAfter(String name, long millis, Exception e) {
        return Async.createTask(name, () -> {
            Async.sleep(Duration.ofMillis(millis));
            throw e;
        });
    }

    @Test
    void repeatedWaitsLeaveNoCallbacksOnTasksStillRunning() throws Exception {
        Loops.virtual(() -> {
            Task<Void> longLived = Async.createTask(() -> Async.sleep(Duration.ofHours(1)));
            for (int i = 0; i < 1000; i++) {
                Task<Void> tick = Async.createTask(() -> Async.sleep(Duration.ofMillis(1)));
                WaitResult r = Async.wait(List.of(longLived, tick), WaitMode.FIRST_COMPLETED);
                assertThat(r.done()).containsExactly(tick);
            }
            assertThat(longLived.callbackCount()).isZero();
            longLived.cancel();
        });
    }

    @Test
    void allCompletedWaitsForEveryTaskAndKeepsTheGivenOrder() throws Exception {
        Loops.virtual(() -> {
            Task<String> slow = after("slow", 3000);
            Task<String> fast = after("fast", 1000);
            Task<String> mid = after("mid", 2000);
            WaitResult r = Async.wait(List.of(slow, fast, mid), WaitMode.ALL_COMPLETED);
            assertThat(Loops.nowMillis()).isEqualTo(3000);
            assertThat(r.done()).containsExactly(slow, fast, mid);
            assertThat(r.pending()).isEmpty();
            assertThat(fast.result()).isEqualTo("fast");
        });
    }

    @Test
    void firstCompletedReturnsAtTheFirstEndAndLeavesTheOthersRunning() throws Exception {
        Loops.virtual(() -> {
            Task<String> slow = after("slow", 3000);
            Task<String> fast = after("fast", 1000);
            WaitResult r = Async.wait(List.of(slow, fast), WaitMode.FIRST_COMPLETED);
            assertThat(Loops.nowMillis()).isEqualTo(1000);
            assertThat(r.done()).containsExactly(fast);
            assertThat(r.pending()).containsExactly(slow);
            assertThat(slow.isDone()).isFalse();
            assertThat(slow.await()).isEqualTo("slow"); // not cancelled
            assertThat(Loops.nowMillis()).isEqualTo(3000);
        });
    }

    @Test
    void firstExceptionReturnsAtTheFirstFailureButNotAtACancellation() throws Exception {
        IOException boom = new IOException("boom");
        Loops.virtual(() -> {
            Task<String> cancelled = after("cancelled", 10_000);
            Async.loop().callLater(Duration.ofSeconds(1), cancelled::cancel);
            Task<String> failing = failingAfter("failing", 2000, boom);
            Task<String> slow = after("slow", 3000);
            WaitResult r = Async.wait(List.of(slow, failing, cancelled), WaitMode.FIRST_EXCEPTION);
            assertThat(Loops.nowMillis()).isEqualTo(2000);
            assertThat(r.done()).containsExactly(failing, cancelled);
            assertThat(r.pending()).containsExactly(slow);
            assertThat(failing.exception()).isSameAs(boom);
            assertThat(slow.await()).isEqualTo("slow");
        });
    }

    @Test
    void firstExceptionWithoutAFailureWaitsForAll() throws Exception {
        Loops.virtual(() -> {
            Task<String> a = after("a", 1000);
            Task<String> b = after("b", 2000);
            WaitResult r = Async.wait(List.of(a, b), WaitMode.FIRST_EXCEPTION);
            assertThat(Loops.nowMillis()).isEqualTo(2000);
            assertThat(r.done()).containsExactly(a, b);
        });
    }

    @Test
    void neverThrowsForAFailureButLeavesItUnretrievedUntilLookedAt() throws Exception {
        List<ErrorReport> reports = Loops.reports();
        IOException looked = new IOException("looked at");
        IOException ignored = new IOException("ignored");
        Loops.recording(reports).run(() -> {
            Task<String> a = failingAfter("a", 10, looked);
            Task<String> b = failingAfter("b", 20, ignored);
            WaitResult r = Async.wait(List.of(a, b), WaitMode.ALL_COMPLETED);
            assertThat(r.done()).containsExactly(a, b);
            assertThat(a.exception()).isSameAs(looked);
        });
        assertThat(reports).singleElement().satisfies(rep -> assertThat(rep.exception()).isSameAs(ignored));
    }

    @Test
    void onTimeoutReturnsWhatIsDoneAndCancelsNothing() throws Exception {
        Loops.virtual(() -> {
            Task<String> fast = after("fast", 1000);
            Task<String> slow = after("slow", 5000);
            WaitResult r = Async.wait(List.of(fast, slow), WaitMode.ALL_COMPLETED, Duration.ofSeconds(2));
            assertThat(Loops.nowMillis()).isEqualTo(2000);
            assertThat(r.done()).containsExactly(fast);
            assertThat(r.pending()).containsExactly(slow);
            assertThat(slow.await()).isEqualTo("slow");
            assertThat(Loops.nowMillis()).isEqualTo(5000);
        });
    }

    @Test
    void aTimeoutThatDoesNotFireLeavesNoTimerBehind() throws Exception {
        Loops.virtual(() -> {
            Task<String> fast = after("fast", 1000);
            Async.wait(List.of(fast), WaitMode.ALL_COMPLETED, Duration.ofHours(1));
            assertThat(Loops.nowMillis()).isEqualTo(1000);
        });
        // and a huge timeout does not overflow
        Loops.virtual(() -> {
            Async.wait(List.of(after("x", 1)), WaitMode.ALL_COMPLETED, Duration.ofSeconds(Long.MAX_VALUE));
        });
    }

    @Test
    void cancellingTheWaiterDoesNotCancelTheTasksWaitedFor() throws Exception {
        Loops.virtual(() -> {
            Task<String> a = after("a", 5000);
            Task<WaitResult> waiter = Async.createTask(() -> Async.wait(List.of(a), WaitMode.ALL_COMPLETED));
            Async.sleep(Duration.ofSeconds(1));
            waiter.cancel();
            assertThatThrownBy(waiter::await).isInstanceOf(CancelledException.class);
            assertThat(waiter.isCancelled()).isTrue();
            assertThat(a.isCancelled()).isFalse();
            assertThat(a.await()).isEqualTo("a");
        });
    }

    @Test
    void suspendsOnceEvenWhenEverythingHasEndedAsAsyncioDoes() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            Task<String> done = Async.createTask(() -> "done");
            done.await();
            Async.createTask(() -> {
                s.expect(2); // runs while the main task is inside wait()
                return null;
            });
            s.expect(1);
            WaitResult r = Async.wait(List.of(done), WaitMode.FIRST_COMPLETED);
            s.expect(3);
            assertThat(r.done()).containsExactly(done);
            s.finish(4);
        });
        s.assertFinished();
    }

    @Test
    void duplicatesCountOnce() throws Exception {
        Loops.virtual(() -> {
            Task<String> a = after("a", 1000);
            Task<String> b = after("b", 2000);
            WaitResult r = Async.wait(List.of(b, a, b, a), WaitMode.ALL_COMPLETED);
            assertThat(r.done()).containsExactly(b, a);
        });
    }

    @Test
    void theResultIsUnmodifiable() throws Exception {
        Loops.virtual(() -> {
            Task<String> a = after("a", 1);
            WaitResult r = Async.wait(List.of(a), WaitMode.ALL_COMPLETED);
            assertThatThrownBy(() -> r.done().clear()).isInstanceOf(UnsupportedOperationException.class);
        });
    }

    @Test
    void theLoopOverPendingIdiom() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            List<Task<String>> tasks = List.of(after("c", 300), after("a", 100), after("b", 200));
            java.util.Set<Task<?>> pending = new java.util.LinkedHashSet<>(tasks);
            while (!pending.isEmpty()) {
                WaitResult r = Async.wait(pending, WaitMode.FIRST_COMPLETED);
                for (Task<?> t : r.done()) {
                    log.add(t.result() + " at " + Loops.nowMillis() + " ms");
                }
                pending = r.pending();
            }
        });
        assertThat(log).containsExactly("a at 100 ms", "b at 200 ms", "c at 300 ms");
    }

    @Test
    void misuseGetsClearErrors() throws Exception {
        assertThatThrownBy(() -> Async.wait(List.of(), WaitMode.ALL_COMPLETED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Async.wait");
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Async.wait(List.of(), WaitMode.ALL_COMPLETED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one task");
            Task<?> me = Async.currentTask();
            assertThatThrownBy(() -> Async.wait(List.of(me), WaitMode.ALL_COMPLETED))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("itself");
            Promise<Void> inCallback = new Promise<>();
            Task<String> a = after("a", 1);
            Async.loop().callSoon(() -> {
                try {
                    Async.wait(List.of(a), WaitMode.ALL_COMPLETED);
                    inCallback.complete(null);
                } catch (Throwable e) {
                    inCallback.fail(e);
                }
            });
            assertThatThrownBy(inCallback::await).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inside a task");
        });
    }
}
