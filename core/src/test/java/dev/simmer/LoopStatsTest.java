package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LoopStatsTest {

    @Test
    void countsTasksStepsAndTheMostReadyAtOnce() throws Exception {
        LoopStats stats = Loops.virtual(() -> {
            LoopStats start = Async.loop().stats();
            assertThat(start.tasksCreated()).isEqualTo(1);
            assertThat(start.tasksFinished()).isZero();
            assertThat(start.steps()).isEqualTo(1);
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tasks.add(Async.createTask(() -> {
                    Async.yieldNow();
                    Async.sleep(Duration.ofSeconds(1));
                }));
            }
            Async.gather(tasks);
            return Async.loop().stats();
        });
        assertThat(stats.tasksCreated()).isEqualTo(11);
        assertThat(stats.tasksFinished()).isEqualTo(10);
        assertThat(stats.tasksAlive()).isEqualTo(1);
        assertThat(stats.steps()).isEqualTo(10 * 3 + 2); // three steps per child; main's two
        assertThat(stats.readyHighWater()).isEqualTo(10);
        assertThat(stats.passes()).isBetween(4L, 10L);
        assertThat(stats.longestStep()).isZero(); // not measured outside debug mode
    }

    @Test
    void debugModeMeasuresTheLongestStep() throws Exception {
        TestClock clock = TestClock.create();
        LoopStats stats = Runner.create().testClock(clock).debug(true).exceptionHandler(r -> { }).run(() -> {
            Async.createTask(() -> clock.jump(Duration.ofMillis(30))).await();
            Async.createTask(() -> clock.jump(Duration.ofMillis(70))).await();
            Async.createTask(() -> clock.jump(Duration.ofMillis(20))).await();
            return Async.loop().stats();
        });
        assertThat(stats.longestStep()).isEqualTo(Duration.ofMillis(70));
    }

    @Test
    void aSnapshotDoesNotChangeAfterwards() throws Exception {
        Loops.virtual(() -> {
            LoopStats before = Async.loop().stats();
            Async.createTask(() -> { }).await();
            LoopStats after = Async.loop().stats();
            assertThat(before.tasksCreated()).isEqualTo(1);
            assertThat(after.tasksCreated()).isEqualTo(2);
            assertThat(after.steps()).isGreaterThan(before.steps());
        });
    }
}
