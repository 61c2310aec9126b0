package dev.simmer.testing;

import dev.simmer.Async;
import dev.simmer.EventLoop;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.simmer.Promise;
import dev.simmer.Task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Test classes that fail on purpose, run by {@link SimmerExtensionTest} through the JUnit
 * launcher (surefire does not pick them up: the name does not end in Test, and they are
 * nested).
 */
final class Fixtures {
    private Fixtures() {
    }

    static class LeavesATask {
        @SimmerTest
        void test() {
            Async.createTask("forgotten", () -> Async.sleep(Duration.ofHours(1)));
        }
    }

    static class LeavesAFailureUnretrieved {
        @SimmerTest
        void test() throws Exception {
            Async.createTask("doomed", () -> {
                throw new IllegalStateException("nobody looks at me");
            });
            Async.sleep(Duration.ofSeconds(1)); // the task has ended: it is not left running
        }
    }

    static class HangsPastItsTimeout {
        @SimmerTest(timeout = 30)
        void test() throws Exception {
            Task<Void> slow = Async.createTask("slow", () -> Async.sleep(Duration.ofMinutes(10)));
            slow.await();
        }
    }

    static class WaitsForever {
        @SimmerTest
        void test() throws Exception {
            new Promise<String>().await();
        }
    }

    /** Passes only when the two tasks run first come, first served. */
    static class DependsOnOrder {
        @SimmerTest(shuffle = true)
        void test() throws Exception {
            List<String> log = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String s : List.of("a", "b", "c", "d")) {
                tasks.add(Async.createTask(() -> {
                    log.add(s);
                }));
            }
            Async.gather(tasks);
            if (!log.equals(List.of("a", "b", "c", "d"))) {
                throw new AssertionError("ran in the order " + log);
            }
        }
    }

    static class FailsPlainly {
        @SimmerTest
        void test() {
            throw new AssertionError("plain failure");
        }
    }

    /** The extension on a class: every test runs in its own loop, with the default settings. */
    @ExtendWith(SimmerExtension.class)
    static class OnAClass {
        @Test
        void plainTest(EventLoop loop) throws Exception {
            Async.sleep(Duration.ofMinutes(1));
            if (loop != Async.loop() || loop.time() != Duration.ofMinutes(1).toNanos()) {
                throw new AssertionError("not on the loop's virtual time");
            }
        }

        @RepeatedTest(3)
        void repeatedTest() {
            if (Async.loop().stats().tasksCreated() != 1) {
                throw new AssertionError("each repetition gets a new loop");
            }
            Async.createTask(() -> { }); // left running on purpose: each repetition must fail
        }
    }
}
