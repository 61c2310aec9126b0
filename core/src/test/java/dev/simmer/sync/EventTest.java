package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.Task;
import dev.simmer.Script;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.simmer.sync.SyncTesting.virtual;
import static dev.simmer.sync.SyncTesting.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTest {

    @Test
    void setWakesEveryWaiterInOrder() throws Exception {
        Script s = new Script();
        virtual(() -> {
            Event event = new Event();
            Task<Void> a = Async.createTask(() -> {
                event.await();
                s.expect(2);
            });
            Task<Void> b = Async.createTask(() -> {
                event.await();
                s.expect(3);
            });
            yieldUntil(() -> event.waiterCount() == 2);
            s.expect(1);
            event.set();
            assertThat(event.isSet()).isTrue();
            a.await();
            b.await();
            s.finish(4);
        });
        s.assertFinished();
    }

    @Test
    void awaitOfASetEventReturnsAtOnceUntilCleared() throws Exception {
        virtual(() -> {
            Event event = new Event();
            event.set();
            long before = Async.loop().time();
            Task<Void> other = Async.createTask(() -> { });
            event.await();
            assertThat(other.isDone()).as("no suspension").isFalse();
            event.clear();
            assertThat(event.isSet()).isFalse();
            Async.loop().callLater(Duration.ofSeconds(5), event::set); // set from a plain callback
            event.await();
            assertThat(Async.loop().time() - before).isEqualTo(Duration.ofSeconds(5).toNanos());
        });
    }

    @Test
    void aWaiterCancelledAtTheMomentOfSetDoesNotDisturbTheOthers() throws Exception {
        virtual(() -> {
            Event event = new Event();
            Task<Void> first = Async.createTask(event::await);
            Task<Void> second = Async.createTask(event::await);
            yieldUntil(() -> event.waiterCount() == 2);
            event.set();
            first.cancel(); // woken by set, cancelled before it runs again
            Async.gatherSettled(first, second);
            assertThat(first.isCancelled()).isTrue();
            assertThat(second.isCancelled()).isFalse();
            assertThat(event.isSet()).isTrue();
            assertThat(event.waiterCount()).isZero();
        });
    }

    @Test
    void aCancelledWaiterLeaves() throws Exception {
        virtual(() -> {
            Event event = new Event();
            Task<Void> waiter = Async.createTask(event::await);
            yieldUntil(() -> event.waiterCount() == 1);
            waiter.cancel();
            assertThatThrownBy(waiter::await).isInstanceOf(CancelledException.class);
            assertThat(event.waiterCount()).isZero();
        });
    }

    @Test
    void boundToItsLoopAndNeedsALoop() throws Exception {
        Event event = new Event();
        assertThatThrownBy(event::set).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("running event loop");
        virtual(event::set);
        virtual(() -> assertThatThrownBy(event::isSet).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another event loop"));
    }
}
