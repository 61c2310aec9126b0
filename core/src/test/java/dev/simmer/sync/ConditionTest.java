package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.Task;
import dev.simmer.Script;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static dev.simmer.sync.SyncTesting.virtual;
import static dev.simmer.sync.SyncTesting.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConditionTest {

    @Test
    void signalWakesWaitersOneAtATimeInOrder() throws Exception {
        Script s = new Script();
        virtual(() -> {
            Condition cond = new Condition();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int step = i + 2;
                tasks.add(Async.createTask(() -> {
                    try (Held held = cond.acquire()) {
                        cond.await();
                        assertThat(cond.lock().isHeldByCurrentTask()).isTrue();
                        s.expect(step);
                    }
                }));
            }
            yieldUntil(() -> cond.waiterCount() == 3);
            assertThat(cond.locked()).as("await released the lock").isFalse();
            s.expect(1);
            for (int i = 0; i < 3; i++) {
                try (Held held = cond.acquire()) {
                    cond.signal();
                }
                Async.yieldNow();
                Async.yieldNow();
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
            s.finish(5);
        });
        s.assertFinished();
    }

    @Test
    void awaitUntilIsAProducerConsumerHandshake() throws Exception {
        virtual(() -> {
            Condition cond = new Condition(new Lock());
            ArrayDeque<Integer> items = new ArrayDeque<>();
            List<Integer> got = new ArrayList<>();
            List<Task<Void>> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                consumers.add(Async.createTask(() -> {
                    for (int k = 0; k < 4; k++) {
                        try (Held held = cond.acquire()) {
                            cond.awaitUntil(() -> !items.isEmpty());
                            got.add(items.removeFirst());
                        }
                    }
                }));
            }
            for (int i = 0; i < 12; i++) {
                try (Held held = cond.acquire()) {
                    items.add(i);
                    if (i % 4 == 3) {
                        cond.signalAll();
                    } else {
                        cond.signal(1);
                    }
                }
                Async.yieldNow();
            }
            for (Task<Void> t : consumers) {
                t.await();
            }
            assertThat(got).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        });
    }

    @Test
    void aCancelledWaiterHoldsTheLockAgainWhenItSeesTheCancellation() throws Exception {
        virtual(() -> {
            Condition cond = new Condition();
            boolean[] heldInCatch = new boolean[1];
            Task<Void> waiter = Async.createTask(() -> {
                try (Held held = cond.acquire()) {
                    cond.await();
                } catch (CancelledException e) {
                    heldInCatch[0] = false; // the try-with-resources released it first; check inside below
                    throw e;
                }
            });
            Task<Void> checker = Async.createTask(() -> {
                cond.acquire();
                try {
                    cond.await();
                } catch (CancelledException e) {
                    heldInCatch[0] = cond.lock().isHeldByCurrentTask();
                    cond.release();
                    throw e;
                }
            });
            yieldUntil(() -> cond.waiterCount() == 2);
            Held mine = cond.acquire();
            waiter.cancel();
            checker.cancel();
            Async.yieldNow();
            assertThat(checker.isDone()).as("re-acquiring waits for the lock").isFalse();
            mine.close();
            Async.gatherSettled(waiter, checker);
            assertThat(waiter.isCancelled()).isTrue();
            assertThat(checker.isCancelled()).isTrue();
            assertThat(heldInCatch[0]).isTrue();
            assertThat(cond.locked()).isFalse();
            assertThat(cond.waiterCount()).isZero();
        });
    }

    @Test
    void aWaiterCancelledAtTheMomentOfTheSignalPassesItOn() throws Exception {
        Script s = new Script();
        virtual(() -> {
            Condition cond = new Condition();
            Task<Void> first = Async.createTask(() -> {
                try (Held held = cond.acquire()) {
                    cond.await();
                    s.unreachable();
                } catch (CancelledException e) {
                    s.expect(2);
                    throw e;
                }
            });
            Task<Void> second = Async.createTask(() -> {
                try (Held held = cond.acquire()) {
                    cond.await();
                    s.expect(3);
                }
            });
            yieldUntil(() -> cond.waiterCount() == 2);
            s.expect(1);
            try (Held held = cond.acquire()) {
                cond.signal();  // one signal, for `first`...
                first.cancel(); // ...cancelled before it runs again: `second` gets the signal
            }
            Async.gatherSettled(first, second);
            assertThat(first.isCancelled()).isTrue();
            assertThat(second.isCancelled()).isFalse();
            assertThat(cond.waiterCount()).isZero();
            s.finish(4);
        });
        s.assertFinished();
    }

    @Test
    void aWaiterCancelledWhileItReacquiresTheLockPassesTheSignalOn() throws Exception {
        // asyncio's test_cancelled_wakeup_relock: the signalled waiter has run and waits for
        // the lock when it is cancelled; the signal must reach the other waiter.
        virtual(() -> {
            Condition cond = new Condition();
            int[] state = {0};
            List<Task<Void>> consumers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                consumers.add(Async.createTask(() -> {
                    try (Held held = cond.acquire()) {
                        while (true) {
                            cond.awaitUntil(() -> state[0] != 0);
                            if (state[0] < 0) {
                                return;
                            }
                            state[0]--;
                        }
                    }
                }));
            }
            Async.yieldNow();
            try (Held held = cond.acquire()) {
                state[0]++;
                cond.signal();
                Async.yieldNow();           // consumer 0 wakes and waits to re-acquire the lock
                consumers.get(0).cancel();  // cancelled there
                Async.timeoutOrNull(java.time.Duration.ofMillis(10), () -> {
                    cond.awaitUntil(() -> state[0] == 0);
                    return null;
                });
                assertThat(state[0]).as("consumer 1 got the signal").isZero();
                state[0] = -1;
                cond.signalAll();
            }
            consumers.get(1).await();
            assertThat(consumers.get(0).isCancelled()).isTrue();
        });
    }

    @Test
    void aWaiterCancelledBeforeAnySignalWakesAnotherOnItsWayOut() throws Exception {
        // asyncio 3.13: a waiter that leaves await() with an error always notifies one other
        // waiter (a spurious wake-up, which the condition-variable protocol allows)
        Script s = new Script();
        virtual(() -> {
            Condition cond = new Condition();
            Task<Void> first = Async.createTask(() -> {
                try (Held held = cond.acquire()) {
                    cond.await();
                    s.unreachable();
                } catch (CancelledException e) {
                    s.expect(2);
                    throw e;
                }
            });
            Task<Void> second = Async.createTask(() -> {
                try (Held held = cond.acquire()) {
                    cond.await();
                    s.expect(3);
                }
            });
            yieldUntil(() -> cond.waiterCount() == 2);
            s.expect(1);
            first.cancel();
            Async.gatherSettled(first, second);
            assertThat(second.isCancelled()).isFalse();
            s.finish(4);
        });
        s.assertFinished();
    }

    @Test
    void waitingOrSignallingWithoutTheLockIsAClearError() throws Exception {
        virtual(() -> {
            Condition cond = new Condition();
            assertThatThrownBy(cond::await).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("lock is not held");
            assertThatThrownBy(cond::signal).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("lock is not held");
            assertThatThrownBy(cond::signalAll).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> cond.awaitUntil(() -> true)).isInstanceOf(IllegalStateException.class);
            Task<Held> other = Async.createTask(cond::acquire);
            other.await(); // it ended holding the lock: we are not its owner
            assertThatThrownBy(cond::signal).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("task 'main'");
            assertThatThrownBy(() -> cond.signal(-1)).isInstanceOf(IllegalArgumentException.class);
        });
        Condition cond = new Condition();
        assertThatThrownBy(cond::locked).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("running event loop");
        virtual(() -> cond.acquire().close());
        virtual(() -> assertThatThrownBy(cond::acquire).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another event loop"));
    }
}
