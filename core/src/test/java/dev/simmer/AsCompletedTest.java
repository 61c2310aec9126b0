package dev.simmer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsCompletedTest {

    private static Task<String> after(String name, long millis) {
        return Async.createTask(name, () -> {
            Async.sleep(Duration.ofMillis(millis));
            return name;
        });
    }

    @Test
    void handsOutTasksInTheOrderTheyEnd() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            List<Task<String>> downloads = List.of(after("C", 3000), after("A", 1000), after("B", 2000));
            for (Task<String> t : Async.asCompleted(downloads)) {
                log.add(t.result() + " at " + Loops.nowMillis() + " ms");
            }
        });
        assertThat(log).containsExactly("A at 1000 ms", "B at 2000 ms", "C at 3000 ms");
    }

    @Test
    void tasksAlreadyEndedComeFirstInTheGivenOrderWithoutSuspending() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            Task<String> running = after("running", 10);
            Task<String> done1 = Async.createTask(() -> "done1");
            Task<String> done2 = Async.createTask(() -> "done2");
            Async.gather(done1, done2);
            Async.createTask(() -> {
                s.expect(3); // runs only once main waits for `running`
                return null;
            });
            Iterator<Task<String>> it = Async.asCompleted(List.of(running, done2, done1)).iterator();
            s.expect(1);
            assertThat(it.next()).isSameAs(done2);
            assertThat(it.next()).isSameAs(done1);
            s.expect(2);
            assertThat(it.next()).isSameAs(running);
            s.finish(4);
        });
        s.assertFinished();
    }

    @Test
    void hasNextCountsWithoutSuspendingAndNextThrowsWhenAllWereHandedOut() throws Exception {
        Loops.virtual(() -> {
            Iterator<Task<String>> it = Async.asCompleted(List.of(after("a", 1000), after("b", 2000))).iterator();
            assertThat(it.hasNext()).isTrue();
            assertThat(Loops.nowMillis()).isZero();
            it.next();
            it.next();
            assertThat(it.hasNext()).isFalse();
            assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        });
    }

    @Test
    void failuresAndCancellationsAreHandedOutNotThrown() throws Exception {
        IOException boom = new IOException("boom");
        Loops.virtual(() -> {
            Task<String> failing = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(10));
                throw boom;
            });
            Task<String> cancelled = after("cancelled", 1000);
            Async.loop().callLater(Duration.ofMillis(20), cancelled::cancel);
            Iterator<Task<String>> it = Async.asCompleted(List.of(cancelled, failing)).iterator();
            assertThat(it.next()).isSameAs(failing);
            assertThatThrownBy(failing::result).isSameAs(boom);
            assertThat(it.next()).isSameAs(cancelled);
            assertThat(cancelled.isCancelled()).isTrue();
        });
    }

    @Test
    void itIsItsOwnIteratorSoASecondLoopGoesOn() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            AsyncIterable<Task<String>> each = Async.asCompleted(List.of(after("a", 1), after("b", 2), after("c", 3)));
            for (Task<String> t : each) {
                log.add("first loop " + t.result());
                break;
            }
            for (Task<String> t : each) {
                log.add("second loop " + t.result());
            }
        });
        assertThat(log).containsExactly("first loop a", "second loop b", "second loop c");
    }

    @Test
    void aTimeoutThrowsFromEachNextThatHasNothingToReturnAndCancelsNothing() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<String> fast = after("fast", 1000);
            Task<String> slow = after("slow", 5000);
            Task<String> slower = after("slower", 6000);
            Iterator<Task<String>> it = Async.asCompleted(List.of(slower, slow, fast), Duration.ofSeconds(2)).iterator();
            assertThat(it.next()).isSameAs(fast);
            log.add("fast at " + Loops.nowMillis() + " ms");
            assertThatThrownBy(it::next).isInstanceOf(AsyncTimeoutException.class).hasMessageContaining("2.00 s");
            log.add("timed out at " + Loops.nowMillis() + " ms");
            assertThat(it.hasNext()).isTrue(); // as asyncio: one timeout per remaining task
            Async.sleep(Duration.ofSeconds(10));
            assertThatThrownBy(it::next).isInstanceOf(AsyncTimeoutException.class); // ended after the deadline
            assertThat(it.hasNext()).isFalse();
            assertThat(slow.isCancelled()).isFalse();
            assertThat(slow.result()).isEqualTo("slow");
            assertThat(Async.currentTask().cancelling()).isZero();
        });
        assertThat(log).containsExactly("fast at 1000 ms", "timed out at 2000 ms");
    }

    @Test
    void tasksEndedBeforeTheDeadlineAreStillHandedOutAfterIt() throws Exception {
        Loops.virtual(() -> {
            Task<String> a = after("a", 1000);
            Task<String> b = after("b", 1500);
            Iterator<Task<String>> it = Async.asCompleted(List.of(a, b), Duration.ofSeconds(2)).iterator();
            Async.sleep(Duration.ofSeconds(3));
            assertThat(it.next()).isSameAs(a);
            assertThat(it.next()).isSameAs(b);
            assertThat(it.hasNext()).isFalse();
        });
    }

    @Test
    void cancellingTheIteratingTaskLeavesTheTasksAlone() throws Exception {
        Loops.virtual(() -> {
            Task<String> a = after("a", 5000);
            Task<Void> consumer = Async.createTask(() -> {
                for (Task<String> t : Async.asCompleted(List.of(a))) {
                    t.result();
                }
            });
            Async.sleep(Duration.ofSeconds(1));
            consumer.cancel();
            assertThatThrownBy(consumer::await).isInstanceOf(CancelledException.class);
            assertThat(a.isCancelled()).isFalse();
            assertThat(a.await()).isEqualTo("a");
        });
    }

    @Test
    void closeStopsTheTimerAndNewArrivals() throws Exception {
        Loops.virtual(() -> {
            Task<String> a = after("a", 1000);
            AsyncIterator<Task<String>> it = Async.asCompleted(List.of(a), Duration.ofHours(1)).iterator();
            it.close();
            a.await();
            assertThat(Loops.nowMillis()).isEqualTo(1000);
            assertThatThrownBy(it::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        });
    }

    @Test
    void outsideALoopIsAClearError() {
        assertThatThrownBy(() -> Async.asCompleted(List.<Task<String>>of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Async.asCompleted");
    }

    @Test
    void anEmptyCollectionHasNothingToHandOut() throws Exception {
        Loops.virtual(() -> {
            assertThat(Async.asCompleted(List.<Task<String>>of()).iterator().hasNext()).isFalse();
        });
    }
}
