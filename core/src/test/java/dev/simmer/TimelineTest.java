package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimelineTest {

    /** The seed tutorial's say_hello: three greetings after 2 s, 1 s and 3 s. */
    static Timeline sayHello() throws Exception {
        Timeline timeline = Timeline.create();
        Runner.create().virtualTime(true).timeline(timeline).run(() -> {
            Task<Void> alice = Async.createTask("Alice", () -> Async.sleep(Duration.ofSeconds(2)));
            Task<Void> bob = Async.createTask("Bob", () -> Async.sleep(Duration.ofSeconds(1)));
            Task<Void> charlie = Async.createTask("Charlie", () -> Async.sleep(Duration.ofSeconds(3)));
            Async.gather(alice, bob, charlie);
        });
        return timeline;
    }

    @Test
    void recordsEachTasksLifecycleInLoopTime() throws Exception {
        List<Timeline.Event> bob = new ArrayList<>();
        for (Timeline.Event e : sayHello().events()) {
            if (e.task().equals("Bob")) {
                bob.add(e);
            }
        }
        assertThat(bob).extracting(Timeline.Event::kind).containsExactly(Timeline.Kind.CREATED,
                Timeline.Kind.RESUMED, Timeline.Kind.SUSPENDED, Timeline.Kind.RESUMED, Timeline.Kind.FINISHED);
        assertThat(bob).extracting(Timeline.Event::timeNanos).containsExactly(0L, 0L, 0L, 1_000_000_000L, 1_000_000_000L);
        assertThat(bob.get(2).detail()).isEqualTo("sleeping until 1s");
        assertThat(bob.get(4).detail()).isEqualTo("succeeded");
        assertThat(bob).extracting(Timeline.Event::taskIndex).containsOnly(2);
    }

    @Test
    void aTextGanttChartHasOneRowPerTask() throws Exception {
        assertThat(sayHello().toGantt(31)).isEqualTo("""
                Time →   0s        1s        2s        3s
                         |---------+---------+---------|
                main     #=============================# succeeded
                Alice    #~~~~~~~~~~~~~~~~~~~#           succeeded
                Bob      #~~~~~~~~~#                     succeeded
                Charlie  #~~~~~~~~~~~~~~~~~~~~~~~~~~~~~# succeeded
                         # running  ~ sleeping  = awaiting  . ready, not running
                """);
    }

    @Test
    void awaitingFailingAndCancelledTasksHaveTheirOwnMarks() throws Exception {
        Timeline timeline = Timeline.create();
        Runner.create().virtualTime(true).timeline(timeline).exceptionHandler(r -> { }).run(() -> {
            Task<Void> sleeper = Async.createTask("sleeper", () -> Async.sleep(Duration.ofSeconds(10)));
            Task<Void> waiter = Async.createTask("waiter", () -> {
                sleeper.await();
            });
            Task<Void> failing = Async.createTask("failing", () -> {
                Async.sleep(Duration.ofSeconds(5));
                throw new IllegalStateException("boom");
            });
            Task<Void> never = Async.createTask("never", () -> { });
            never.cancel();
            Async.sleep(Duration.ofSeconds(10));
            Async.gatherSettled(List.of(waiter, failing));
        });
        assertThat(timeline.toGantt(21)).isEqualTo("""
                Time →   0s        5s        10s
                         |---------+---------|
                main     #~~~~~~~~~~~~~~~~~~~# succeeded
                sleeper  #~~~~~~~~~~~~~~~~~~~# succeeded
                waiter   #===================# succeeded
                failing  #~~~~~~~~~#           failed
                never    .                     cancelled
                         # running  ~ sleeping  = awaiting  . ready, not running
                """);
    }

    @Test
    void theChromeTraceHasARowPerTaskAndSlicesForStepsAndWaits() throws Exception {
        String trace = sayHello().toChromeTrace();
        assertThat(trace).startsWith("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[").endsWith("]}\n")
                .contains("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":3,\"args\":{\"name\":\"Bob\"}}")
                .contains("{\"name\":\"sleep\",\"cat\":\"wait\",\"ph\":\"X\",\"ts\":0,\"dur\":1000000,\"pid\":1,\"tid\":3,"
                        + "\"args\":{\"on\":\"sleeping until 1s\"}}")
                .contains("{\"name\":\"running\",\"cat\":\"step\",\"ph\":\"X\",\"ts\":1000000,\"dur\":0,\"pid\":1,\"tid\":3}")
                .contains("{\"name\":\"succeeded\",\"ph\":\"i\",\"s\":\"t\",\"ts\":1000000,\"pid\":1,\"tid\":3}");
        // balanced braces and brackets outside strings: well-formed enough for the viewers
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < trace.length(); i++) {
            char c = trace.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                assertThat(depth).isNotNegative();
            }
        }
        assertThat(depth).isZero();
    }

    /** An hour of sleeps in 500 tasks; returns the trace and checks the loop time. */
    private static String anHourOfSleeps() throws Exception {
        Timeline timeline = Timeline.create();
        long end = Runner.create().virtualTime(true).timeline(timeline).run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int id = i;
                tasks.add(Async.createTask(() -> {
                    for (int minute = 0; minute < 60; minute += 1 + id % 7) {
                        Async.sleep(Duration.ofMinutes(1 + id % 7));
                    }
                    return id;
                }));
            }
            Async.gather(tasks);
            return Async.loop().time();
        });
        assertThat(Duration.ofNanos(end)).isBetween(Duration.ofHours(1), Duration.ofMinutes(66));
        return timeline.toChromeTrace() + timeline.toGantt(80);
    }

    @Test
    void anHourOfVirtualSleepsInManyTasksCompletesAndGivesTheSameTraceEveryRun() throws Exception {
        String first = anHourOfSleeps();
        String second = anHourOfSleeps();
        assertThat(second).isEqualTo(first);
        assertThat(first).contains("\"name\":\"Task-501\"");
    }

    @Test
    void timeLabelsAreShort() {
        assertThat(Timeline.time(0)).isEqualTo("0s");
        assertThat(Timeline.time(3_000_000_000L)).isEqualTo("3s");
        assertThat(Timeline.time(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(Timeline.time(250_000_000L)).isEqualTo("250ms");
        assertThat(Timeline.time(40_000)).isEqualTo("40µs");
        assertThat(Timeline.time(12)).isEqualTo("12ns");
        assertThatThrownBy(() -> Timeline.create().toGantt(5)).isInstanceOf(IllegalArgumentException.class);
    }
}
