package dev.simmer.testing;

import dev.simmer.Async;
import dev.simmer.EngineKind;
import dev.simmer.EventLoop;
import dev.simmer.Task;
import dev.simmer.TestClock;
import dev.simmer.Timeline;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The extension used as users use it: every test here runs inside a loop. */
class SimmerTestTest {

    @SimmerTest
    void theBodyRunsAsTheMainTaskOnVirtualTime() throws Exception {
        assertThat(Async.currentTask().name()).isEqualTo("main");
        assertThat(Async.loop().time()).isZero();
        Async.sleep(Duration.ofDays(1));
        assertThat(Async.loop().time()).isEqualTo(Duration.ofDays(1).toNanos());
    }

    @SimmerTest
    void theLoopAndTheClockArePassedIn(EventLoop loop, TestClock clock) throws Exception {
        assertThat(loop).isSameAs(Async.loop());
        assertThat(loop.engine()).isEqualTo(Async.engine());
        Async.sleep(Duration.ofSeconds(3));
        assertThat(clock.currentTime()).isEqualTo(Duration.ofSeconds(3));
    }

    @SimmerTest
    void stepByStep(TestClock clock) throws Exception {
        List<String> log = new ArrayList<>();
        Task<Void> kettle = Async.createTask("kettle", () -> {
            Async.sleep(Duration.ofMinutes(3));
            log.add("boiled");
        });
        clock.advanceBy(Duration.ofMinutes(2));
        assertThat(log).isEmpty();
        assertThat(kettle.isDone()).isFalse();
        clock.advanceBy(Duration.ofMinutes(1));
        assertThat(log).containsExactly("boiled");
        assertThat(kettle.isDone()).isTrue();
    }

    @SimmerTest
    void anHourOfSleepsInAThousandTasksTakesAnHourOfVirtualTime(TestClock clock) throws Exception {
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int id = i;
            tasks.add(Async.createTask(() -> {
                for (int minute = 0; minute < 60; minute++) {
                    Async.sleep(Duration.ofMinutes(1));
                }
                return id;
            }));
        }
        assertThat(Async.gather(tasks)).hasSize(1000);
        assertThat(clock.currentTime()).isEqualTo(Duration.ofHours(1));
    }

    @SimmerTest(shuffle = true)
    void orderIndependentCodePassesUnderFuzzing() throws Exception {
        int[] total = new int[1];
        List<Task<Void>> workers = new ArrayList<>();
        for (int w = 0; w < 10; w++) {
            workers.add(Async.createTask(() -> {
                for (int i = 0; i < 10; i++) {
                    total[0]++;
                    Async.yieldNow();
                }
            }));
        }
        Async.gather(workers);
        assertThat(total[0]).isEqualTo(100);
    }

    @SimmerTest(timeout = 2, timeoutUnit = java.util.concurrent.TimeUnit.HOURS)
    void aTimeoutInVirtualTimeLetsALongTestFinish() throws Exception {
        Async.sleep(Duration.ofMinutes(119));
    }

    @SimmerTest(debug = false)
    void settingsCanBeChanged() {
        assertThat(Async.engine()).isIn(EngineKind.CONTINUATION, EngineKind.THREADS);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 60})
    @ExtendWith(SimmerExtension.class)
    void parameterizedTestsRunInALoopToo(int minutes, TestClock clock) throws Exception {
        Async.sleep(Duration.ofMinutes(minutes));
        assertThat(clock.currentTime()).isEqualTo(Duration.ofMinutes(minutes));
    }

    @SimmerTest
    void aTimelineParameterRecordsTheTest(Timeline timeline) throws Exception {
        Async.createTask("brew", () -> Async.sleep(Duration.ofMinutes(4))).await();
        assertThat(timeline.events()).extracting(Timeline.Event::task).contains("main", "brew");
        assertThat(timeline.toGantt(20)).containsPattern("brew +#~+# succeeded");
    }
}
