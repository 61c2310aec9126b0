package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.DeadlockException;
import dev.simmer.Promise;
import dev.simmer.Runner;
import dev.simmer.Task;
import dev.simmer.sync.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guide's "Testing and debugging" chapter: what Simmer tells you when a program is stuck. */
class DebuggingTest {
    @Test
    void anHourOfSleepTakesNoTimeOnTheVirtualClock() throws Exception {
        long elapsed = Runner.create().virtualTime(true).run(() -> {
            Async.sleep(Duration.ofHours(1));
            return Async.loop().time();
        });

        assertThat(Duration.ofNanos(elapsed)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aMainTaskThatWaitsForeverIsADeadlockNamingTheStuckTasks() {
        Event doorbell = new Event(); // nobody will ever ring it

        assertThatThrownBy(() -> Runner.create().virtualTime(true).run(() -> {
            Task<Void> guest = Async.createTask("guest", doorbell::await);
            guest.await();
        }))
                .isInstanceOf(DeadlockException.class)
                .hasMessageContaining("'main'")
                .hasMessageContaining("'guest'");
    }

    @Test
    void dumpTasksShowsEveryLiveTaskAndWhereItWaits() throws Exception {
        String dump = Runner.create().virtualTime(true).run(() -> {
            Promise<String> order = new Promise<>();
            Task<String> waiter = Async.createTask("waiter", order::await);
            Async.yieldNow(); // let the waiter start and suspend
            String tasks = Async.loop().dumpTasks();
            order.complete("soup");
            waiter.await();
            return tasks;
        });

        assertThat(dump).contains("main").contains("waiter");
    }
}
