package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncTimeoutException;
import dev.simmer.EngineKind;
import dev.simmer.Runner;
import dev.simmer.Task;
import dev.simmer.sync.Held;
import dev.simmer.sync.Lock;
import dev.simmer.sync.Queue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The code of docs/sync.md that is not an example program: why a JDK lock is not a lock
 * between tasks, and what to use instead. Runs on both engines; the JDK lock's outcome is
 * the engine's.
 */
class SyncChapterTest {

    @Test
    void aReentrantLockGivesNoExclusionBetweenTasksOnTheFastPath() throws Exception {
        List<String> log = new ArrayList<>();
        Runner.create().virtualTime(true).run(() -> {
            ReentrantLock jdkLock = new ReentrantLock(); // owned by a thread, not by a task
            Task<Void> a = Async.createTask(() -> {
                jdkLock.lock();
                try {
                    Async.sleep(Duration.ofSeconds(1)); // suspends inside the critical section
                } finally {
                    jdkLock.unlock();
                }
            });
            Task<Void> b = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(500)); // a is inside now, asleep
                if (jdkLock.tryLock()) {             // with lock(): no wait on the fast path, a hang on threads
                    log.add("b is inside too");
                    jdkLock.unlock();
                } else {
                    log.add("b would block its thread");
                }
            });
            Async.gather(a, b);
        });
        assertThat(log).containsExactly(Async.engine() == EngineKind.CONTINUATION
                ? "b is inside too"             // the same loop thread, and the lock is reentrant
                : "b would block its thread");  // and with it the baton: no task could run again
    }

    @Test
    @SuppressWarnings("try") // the Held values are only there to be closed
    void aSimmerLockMakesTheOtherTaskWaitOnBothEngines() throws Exception {
        List<String> log = new ArrayList<>();
        Runner.create().virtualTime(true).run(() -> {
            Lock lock = new Lock(); // owned by a task
            Task<Void> a = Async.createTask(() -> {
                try (Held held = lock.acquire()) {
                    Async.sleep(Duration.ofSeconds(1)); // suspends inside the critical section
                }
            });
            Task<Void> b = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(500)); // a is inside now, asleep
                log.add("b: tryAcquire() is " + lock.tryAcquire());
                try (Held held = lock.acquire()) {   // suspends b, not the thread
                    log.add("b is inside at " + Async.loop().time() / 1_000_000 + " ms");
                }
            });
            Async.gather(a, b);
        });
        assertThat(log).containsExactly("b: tryAcquire() is false", "b is inside at 1000 ms");
    }

    @Test
    void aGetCutShortByATimeoutLosesNoItem() throws Exception {
        Runner.create().virtualTime(true).run(() -> {
            Queue<String> orders = new Queue<>();
            // the order comes at 1 s, in the very pass in which the timeout expires
            Async.loop().callLater(Duration.ofSeconds(1), () -> orders.putNowait("soup"));
            assertThatThrownBy(() -> Async.timeout(Duration.ofSeconds(1), orders::get))
                    .isInstanceOf(AsyncTimeoutException.class);
            assertThat(orders.getNowait()).isEqualTo("soup"); // still in the queue: a timeout is a cancellation
        });
    }
}
