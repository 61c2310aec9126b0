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

    // The next four translate CPython's test_acquire_fifo_order* (Lib/test/test_asyncio/test_locks.py):
    // the completion order under contention is asyncio 3.13's, pass for pass.

    @Test
    void acquireFifoOrder() throws Exception {
        List<String> result = new ArrayList<>();
        virtual(() -> {
            Semaphore sem = new Semaphore(1);
            Async.taskGroup(group -> {
                for (String tag : List.of("c1", "c2", "c3")) {
                    group.createTask(() -> {
                        sem.acquire();
                        result.add(tag + "_1");
                        Async.sleep(Duration.ofMillis(10));
                        sem.release();

                        sem.acquire();
                        result.add(tag + "_2");
                        Async.sleep(Duration.ofMillis(10));
                        sem.release();
                    });
                }
                return null;
            });
        });
        assertThat(result).containsExactly("c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2");
    }

    @Test
    void acquireFifoOrder2() throws Exception {
        List<Integer> result = new ArrayList<>();
        virtual(() -> {
            Semaphore sem = new Semaphore(1);
            Task<Void> t1 = Async.createTask(() -> {
                sem.acquire();
                result.add(1);
            });
            Task<Void> t2 = Async.createTask(() -> {
                sem.acquire();
                result.add(2);
                sem.release();
                sem.acquire(); // a permit is free, but t3 was granted one and has not run yet: queue behind it
                result.add(4);
            });
            Task<Void> t3 = Async.createTask(() -> {
                sem.acquire();
                result.add(3);
            });
            Async.yieldNow();
            sem.release();
            sem.release();
            Async.gather(List.of(t1, t2, t3));
        });
        assertThat(result).containsExactly(1, 2, 3, 4);
    }

    @Test
    void acquireFifoOrder3() throws Exception {
        List<Integer> result = new ArrayList<>();
        virtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                tasks.add(Async.createTask(() -> {
                    sem.acquire();
                    result.add(n);
                }));
            }
            Async.yieldNow();
            tasks.get(0).cancel();
            Async.yieldNow();
            sem.release();
            sem.release();
            Async.gatherSettled(tasks);
        });
        assertThat(result).containsExactly(2, 3);
    }

    @Test
    void acquireFifoOrder4() throws Exception {
        // A waiter that resumes wakes the others that queued behind it only because of FIFO.
        List<Integer> result = new ArrayList<>();
        virtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<Task<Void>> t4 = new ArrayList<>();
            Task<Void> t1 = Async.createTask(() -> {
                assertThat(sem.available()).isZero();
                sem.acquire();
                assertThat(sem.available()).as("all waiting tasks were woken").isZero();
                t4.add(Async.createTask(() -> {
                    result.add(4); // runs after c3, not after c2
                }));
                result.add(1);
            });
            Task<Void> t2 = Async.createTask(() -> {
                sem.release(); // for c1, c2 and c3
                sem.release();
                sem.release();
                assertThat(sem.available()).isEqualTo(2);
                assertThat(sem.locked()).as("c1 has not run since it was granted").isTrue();
                sem.acquire();
                result.add(2);
            });
            Task<Void> t3 = Async.createTask(() -> {
                sem.acquire();
                assertThat(sem.locked()).isTrue();
                result.add(3);
            });
            Async.yieldNow();
            assertThat(sem.available()).isEqualTo(2);
            assertThat(sem.waiterCount()).as("three in the queue, the first not resumed yet").isEqualTo(3);
            Async.yieldNow();
            assertThat(t4).hasSize(1);
            Async.gather(List.of(t1, t2, t3, t4.get(0)));
        });
        assertThat(result).containsExactly(1, 2, 3, 4);
    }

    @Test
    void acquireMatchesAsyncioPassForPass() throws Exception {
        // CPython's test_acquire
        virtual(() -> {
            Semaphore sem = new Semaphore(3);
            List<Integer> result = new ArrayList<>();
            sem.acquire();
            sem.acquire();
            assertThat(sem.locked()).isFalse();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                tasks.add(Async.createTask(() -> {
                    sem.acquire();
                    result.add(n);
                }));
            }
            Async.yieldNow();
            assertThat(result).containsExactly(1);
            assertThat(sem.locked()).isTrue();
            assertThat(sem.waiterCount()).isEqualTo(2);
            assertThat(sem.available()).isZero();
            tasks.add(Async.createTask(() -> {
                sem.acquire();
                result.add(4);
            }));
            sem.release();
            sem.release();
            assertThat(sem.available()).isZero();
            Async.yieldNow();
            assertThat(sem.available()).isZero();
            assertThat(result).hasSize(3);
            assertThat(sem.locked()).isTrue();
            assertThat(sem.waiterCount()).isEqualTo(1);
            assertThat(tasks.stream().filter(Task::isDone).count()).isEqualTo(3);
            sem.release();
            Async.gather(tasks);
        });
    }

    @Test
    void aWaiterCancelledBeforeItWasWokenLeavesThePermitToTheNext() throws Exception {
        // CPython's test_acquire_cancel_before_awoken and test_acquire_hang
        virtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<Task<Held>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(Async.createTask(sem::acquire));
            }
            Async.yieldNow();
            tasks.get(0).cancel();
            tasks.get(1).cancel();
            sem.release();
            Async.yieldNow();
            Async.yieldNow();
            assertThat(tasks.get(2).isDone()).isTrue();
            assertThat(tasks.get(3).isDone()).isFalse();
            assertThat(sem.locked()).isTrue();
            tasks.get(3).cancel();
            Async.gatherSettled(tasks);
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
