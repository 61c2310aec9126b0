package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestClockTest {

    private static Runner on(TestClock clock) {
        return Runner.create().testClock(clock);
    }

    @Test
    void advanceByRunsWhatIsDueUpToTheTargetAndStopsThere() throws Exception {
        TestClock clock = TestClock.create();
        List<String> log = new ArrayList<>();
        on(clock).run(() -> {
            Task<Void> a = Async.createTask(() -> {
                Async.sleep(Duration.ofSeconds(3));
                log.add("a at " + Loops.nowMillis());
            });
            Task<Void> b = Async.createTask(() -> {
                Async.sleep(Duration.ofSeconds(10));
                log.add("b at " + Loops.nowMillis());
            });
            clock.advanceBy(Duration.ofSeconds(2));
            assertThat(clock.currentTime()).isEqualTo(Duration.ofSeconds(2));
            assertThat(log).isEmpty();
            clock.advanceBy(Duration.ofSeconds(1));
            assertThat(clock.currentTime()).isEqualTo(Duration.ofSeconds(3));
            assertThat(log).containsExactly("a at 3000");
            assertThat(a.isDone()).isTrue();
            assertThat(b.isDone()).isFalse();
            clock.advanceBy(Duration.ofSeconds(100));
            assertThat(clock.currentTime()).isEqualTo(Duration.ofSeconds(103));
            assertThat(log).containsExactly("a at 3000", "b at 10000");
        });
        assertThat(clock.currentTime()).isEqualTo(Duration.ofSeconds(103));
    }

    @Test
    void advanceByAlsoRunsWhatTheDueTasksMakeReadyAtTheTarget() throws Exception {
        TestClock clock = TestClock.create();
        List<String> log = new ArrayList<>();
        on(clock).run(() -> {
            Async.createTask(() -> {
                Async.sleep(Duration.ofSeconds(1));
                Async.loop().callSoon(() -> log.add("callback"));
                Async.yieldNow();
                Async.yieldNow();
                log.add("two yields later");
            });
            clock.advanceBy(Duration.ofSeconds(1));
            assertThat(log).containsExactly("callback", "two yields later");
        });
    }

    @Test
    void runCurrentRunsReadyWorkWithoutMovingTime() throws Exception {
        TestClock clock = TestClock.create();
        List<String> log = new ArrayList<>();
        on(clock).run(() -> {
            Async.createTask(() -> {
                log.add("started");
                Async.yieldNow();
                log.add("yielded");
                Async.sleep(Duration.ofSeconds(1));
                log.add("slept");
            });
            clock.runCurrent();
            assertThat(log).containsExactly("started", "yielded");
            assertThat(clock.currentTime()).isZero();
            clock.advanceUntilIdle();
            assertThat(log).containsExactly("started", "yielded", "slept");
            assertThat(clock.currentTime()).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void advanceUntilIdleStopsWhenEverythingWaitsOnSomethingUntimed() throws Exception {
        TestClock clock = TestClock.create();
        on(clock).run(() -> {
            Promise<String> never = new Promise<>();
            Task<String> waiter = Async.createTask(() -> {
                Async.sleep(Duration.ofMinutes(5));
                return never.await();
            });
            clock.advanceUntilIdle(); // no deadlock: the test task goes on
            assertThat(clock.currentTime()).isEqualTo(Duration.ofMinutes(5));
            assertThat(waiter.isDone()).isFalse();
            never.complete("now");
            assertThat(waiter.await()).isEqualTo("now");
        });
    }

    @Test
    void advanceByWithNothingScheduledJustMovesTime() throws Exception {
        TestClock clock = TestClock.create();
        on(clock).run(() -> {
            clock.advanceBy(Duration.ofHours(2));
            assertThat(Async.loop().time()).isEqualTo(Duration.ofHours(2).toNanos());
        });
    }

    @Test
    void jumpMovesTimeWithoutRunningAnything() throws Exception {
        TestClock clock = TestClock.create();
        List<ErrorReport> reports = Loops.reports();
        on(clock).debug(true).exceptionHandler(reports::add).run(() -> {
            Task<Void> hog = Async.createTask("hog", () -> clock.jump(Duration.ofMillis(250)));
            hog.await();
            assertThat(clock.currentTime()).isEqualTo(Duration.ofMillis(250));
        });
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.message()).contains("'hog'", "250 ms"));
    }

    @Test
    void aClockThatDoesNotDriveTheLoopSaysSo() throws Exception {
        TestClock clock = TestClock.create();
        Loops.virtual(() -> {
            assertThatThrownBy(() -> clock.advanceBy(Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not drive the running loop");
        });
        assertThatThrownBy(clock::runCurrent).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a running event loop");
        assertThatThrownBy(() -> clock.advanceBy(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCancelledAdvanceLeavesTheClockUsable() throws Exception {
        TestClock clock = TestClock.create();
        on(clock).run(() -> {
            Task<Void> stepper = Async.createTask(() -> clock.advanceBy(Duration.ofHours(1)));
            Async.sleep(Duration.ofMinutes(1));
            stepper.cancel();
            assertThat(Async.gatherSettled(List.of(stepper)).get(0)).isInstanceOf(Outcome.Cancelled.class);
            clock.advanceBy(Duration.ofMinutes(1));
            assertThat(clock.currentTime()).isEqualTo(Duration.ofMinutes(2));
        });
    }
}
