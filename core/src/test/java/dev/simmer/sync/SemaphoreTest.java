package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.Task;
import dev.simmer.Script;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.simmer.sync.SyncTesting.virtual;
import static dev.simmer.sync.SyncTesting.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SemaphoreTest {

    @Test
    void atMostNTasksHoldAPermit() throws Exception {
        virtual(() -> {
            Semaphore sem = new Semaphore(3);
            int[] inside = new int[2];
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                tasks.add(Async.createTask(() -> {
                    try (Held permit = sem.acquire()) {
                        inside[0]++;
                        inside[1] = Math.max(inside[1], inside[0]);
                        Async.sleep(Duration.ofSeconds(1));
                        inside[0]--;
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
            assertThat(inside[1]).isEqualTo(3);
            assertThat(Async.loop().time()).isEqualTo(Duration.ofSeconds(4).toNanos());
            assertThat(sem.available()).isEqualTo(3);
        });
    }

    @Test
    void waitersArePermittedInTheOrderTheyCame() throws Exception {
        Script s = new Script();
        virtual(() -> {
            Semaphore sem = new Semaphore(1);
            Held mine = sem.acquire(); // fast path: no suspension
            assertThat(sem.locked()).isTrue();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int step = i + 2;
                tasks.add(Async.createTask(() -> {
                    try (Held permit = sem.acquire()) {
                        s.expect(step);
                    }
                }));
            }
            yieldUntil(() -> sem.waiterCount() == 3);
            s.expect(1);
            mine.close();
            assertThat(sem.tryAcquire()).as("the permit went to the oldest waiter").isFalse();
            for (Task<Void> t : tasks) {
                t.await();
            }
            s.finish(5);
            assertThat(sem.available()).isEqualTo(1);
        });
        s.assertFinished();
    }

    @Test
    void cancelledAtTheMomentOfTheGrantGivesThePermitOn() throws Exception {
        virtual(() -> {
            Semaphore sem = new Semaphore(1);
            sem.acquire();
            Task<Void> first = Async.createTask(() -> sem.acquire().close());
            boolean[] secondGot = new boolean[1];
            Task<Void> second = Async.createTask(() -> {
                try (Held permit = sem.acquire()) {
                    secondGot[0] = true;
                }
            });
            yieldUntil(() -> sem.waiterCount() == 2);
            sem.release();  // grants `first`...
            first.cancel(); // ...cancelled before it runs again
            Async.gatherSettled(first, second);
            assertThat(first.isCancelled()).isTrue();
            assertThat(secondGot[0]).isTrue();
            assertThat(sem.available()).isEqualTo(1);
            assertThat(sem.waiterCount()).isZero();
        });
    }

    @Test
    void cancelledAtTheGrantWithNobodyElseWaitingReturnsThePermit() throws Exception {
        virtual(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Void> waiter = Async.createTask(() -> sem.acquire().close());
            yieldUntil(() -> sem.waiterCount() == 1);
            Async.loop().callSoon(waiter::cancel); // next pass: after the grant, before the waiter resumes
            sem.release();
            Async.gatherSettled(waiter);
            assertThat(waiter.isCancelled()).isTrue();
            assertThat(sem.available()).isEqualTo(1);
        });
    }

    @Test
    void anUnboundedSemaphoreMayGrowAndABoundedOneRefuses() throws Exception {
        virtual(() -> {
            Semaphore sem = new Semaphore(1);
            sem.release();
            assertThat(sem.available()).isEqualTo(2);

            BoundedSemaphore bounded = new BoundedSemaphore(2);
            assertThatThrownBy(bounded::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released more often than acquired");
            try (Held permit = bounded.acquire()) {
                assertThat(bounded.available()).isEqualTo(1);
            }
            assertThat(bounded.tryAcquire()).isTrue();
            assertThat(bounded.tryAcquire()).isTrue();
            assertThat(bounded.tryAcquire()).isFalse();
            bounded.release();
            bounded.release();
            assertThatThrownBy(bounded::release).isInstanceOf(IllegalStateException.class);
            assertThat(bounded.available()).isEqualTo(2);
        });
    }

    @Test
    void misuse() throws Exception {
        assertThatThrownBy(() -> new Semaphore(-1)).isInstanceOf(IllegalArgumentException.class);
        Semaphore sem = new Semaphore(1);
        assertThatThrownBy(sem::tryAcquire).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("running event loop");
        virtual(() -> sem.acquire().close());
        virtual(() -> assertThatThrownBy(sem::release).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another event loop"));
    }
}
