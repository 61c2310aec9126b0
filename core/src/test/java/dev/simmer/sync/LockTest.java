package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.Task;
import dev.simmer.Script;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.simmer.sync.SyncTesting.virtual;
import static dev.simmer.sync.SyncTesting.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class LockTest {

    @Test
    void acquireOfAFreeLockDoesNotSuspend() throws Exception {
        Script s = new Script();
        virtual(() -> {
            Lock lock = new Lock();
            Task<Void> other = Async.createTask(() -> s.expect(3));
            s.expect(1);
            try (Held held = lock.acquire()) {
                assertThat(held.isHeld()).isTrue();
                assertThat(lock.locked()).isTrue();
                assertThat(lock.isHeldByCurrentTask()).isTrue();
                s.expect(2); // the other task has not run: no suspension so far
            }
            assertThat(lock.locked()).isFalse();
            other.await();
            s.finish(4);
        });
        s.assertFinished();
    }

    @Test
    void waitersGetTheLockInTheOrderTheyCame() throws Exception {
        Script s = new Script();
        virtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int step = i + 2;
                tasks.add(Async.createTask(() -> {
                    try (Held held = lock.acquire()) {
                        s.expect(step);
                        Async.yieldNow(); // holding across a suspension keeps the others out
                    }
                }));
            }
            yieldUntil(() -> lock.waiterCount() == 3);
            s.expect(1);
            lock.release();
            assertThat(lock.locked()).as("handed straight to the first waiter").isTrue();
            assertThat(lock.tryAcquire()).as("nobody jumps the queue").isFalse();
            for (Task<Void> t : tasks) {
                t.await();
            }
            s.finish(5);
            assertThat(lock.locked()).isFalse();
        });
        s.assertFinished();
    }

    @Test
    void onlyOneTaskHoldsItAtATime() throws Exception {
        virtual(() -> {
            Lock lock = new Lock();
            int[] inside = new int[2]; // current, max
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int millis = (i * 7) % 5;
                tasks.add(Async.createTask(() -> {
                    try (Held held = lock.acquire()) {
                        inside[0]++;
                        inside[1] = Math.max(inside[1], inside[0]);
                        Async.sleep(Duration.ofMillis(millis));
                        inside[0]--;
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
            assertThat(inside[1]).isEqualTo(1);
            assertThat(Async.loop().time()).isEqualTo(Duration.ofMillis(40).toNanos());
        });
    }

    @Test
    void tryAcquireTakesOnlyAFreeLock() throws Exception {
        virtual(() -> {
            Lock lock = new Lock();
            assertThat(lock.tryAcquire()).isTrue();
            Task<Boolean> other = Async.createTask(lock::tryAcquire);
            assertThat(other.await()).isFalse();
            lock.release();
            assertThat(lock.locked()).isFalse();
        });
    }

    @Test
    void cancelledAtTheMomentOfTheGrantHandsTheLockOn() throws Exception {
        Script s = new Script();
        virtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> first = Async.createTask(() -> {
                try {
                    lock.acquire();
                    s.unreachable();
                } catch (CancelledException e) {
                    s.expect(2);
                    assertThat(lock.isHeldByCurrentTask()).isFalse();
                    throw e;
                }
            });
            Task<Void> second = Async.createTask(() -> {
                try (Held held = lock.acquire()) {
                    s.expect(3);
                }
            });
            yieldUntil(() -> lock.waiterCount() == 2);
            s.expect(1);
            lock.release();   // grants `first`...
            first.cancel();   // ...which is cancelled before it runs again
            second.await();
            assertThat(first.isCancelled()).isTrue();
            assertThat(lock.locked()).isFalse();
            assertThat(lock.waiterCount()).isZero();
            s.finish(4);
        });
        s.assertFinished();
    }

    @Test
    void cancelledInTheSamePassAsTheGrantFromACallback() throws Exception {
        virtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> first = Async.createTask(() -> lock.acquire().close());
            Task<Void> second = Async.createTask(() -> lock.acquire().close());
            yieldUntil(() -> lock.waiterCount() == 2);
            // the cancel runs on the next pass, after the grant and before `first` resumes
            Async.loop().callSoon(first::cancel);
            lock.release();
            Async.gatherSettled(first, second);
            assertThat(first.isCancelled()).isTrue();
            assertThat(second.isCancelled()).isFalse();
            assertThat(lock.locked()).isFalse();
        });
    }

    @Test
    void aWaiterCancelledBeforeTheGrantLeavesTheQueue() throws Exception {
        virtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> first = Async.createTask(() -> lock.acquire().close());
            Task<Void> second = Async.createTask(() -> {
                try (Held held = lock.acquire()) {
                    assertThat(lock.isHeldByCurrentTask()).isTrue();
                }
            });
            yieldUntil(() -> lock.waiterCount() == 2);
            first.cancel();
            Async.yieldNow();
            Async.yieldNow();
            assertThat(first.isCancelled()).isTrue();
            assertThat(lock.waiterCount()).isEqualTo(1);
            lock.release();
            second.await();
            assertThat(lock.locked()).isFalse();
        });
    }

    @Test
    void releaseByAnotherTaskOrWhenFreeOrReentryIsAClearError() throws Exception {
        virtual(() -> {
            Lock lock = new Lock();
            assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not held");
            lock.acquire();
            Task<Void> other = Async.createTask(lock::release);
            assertThat(catchThrowable(other::await)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("held by task 'main'").hasMessageContaining("Only the task that acquired");
            assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not reentrant");
            assertThat(lock.locked()).isTrue();
            lock.release();
        });
    }

    @Test
    void closingTheHandleTwiceReleasesOnce() throws Exception {
        virtual(() -> {
            Lock lock = new Lock();
            Held held = lock.acquire();
            held.close();
            held.close();
            assertThat(held.isHeld()).isFalse();
            assertThat(lock.locked()).isFalse();
        });
    }

    @Test
    void acquireFromAPlainCallbackIsAClearError() throws Exception {
        virtual(() -> {
            Lock lock = new Lock();
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            Async.loop().callSoon(() -> seen.complete(catchThrowable(lock::acquire)));
            Async.yieldNow();
            assertThat(seen.getNow(null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inside a task");
        });
    }

    @Test
    void aLockIsBoundToTheLoopThatFirstUsesIt() throws Exception {
        Lock lock = new Lock();
        virtual(() -> lock.acquire().close());
        virtual(() -> assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another event loop"));
    }

    @Test
    void outsideAnyLoopIsAClearError() throws Exception {
        Lock lock = new Lock();
        assertThatThrownBy(lock::locked).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Lock.locked").hasMessageContaining("running event loop");
        CompletableFuture<Throwable> fromThread = new CompletableFuture<>();
        virtual(() -> {
            lock.locked();
            Thread t = new Thread(() -> fromThread.complete(catchThrowable(lock::locked)));
            t.start();
            t.join();
        });
        assertThat(fromThread.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("running event loop");
    }
}
