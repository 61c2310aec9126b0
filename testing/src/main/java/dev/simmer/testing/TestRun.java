package dev.simmer.testing;

import dev.simmer.Async;
import dev.simmer.AsyncTimeoutException;
import dev.simmer.ErrorReport;
import dev.simmer.EventLoop;
import dev.simmer.Runner;
import dev.simmer.Task;
import dev.simmer.TestClock;
import dev.simmer.Timeline;
import dev.simmer.TimerHandle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/** One test body run the {@link SimmerTest} way: the loop, the checks, the failure it makes. */
final class TestRun {
    private TestRun() {
    }

    /** A test body, given the loop it runs on. */
    interface Body {
        void run(EventLoop loop) throws Throwable;
    }

    /** What {@link SimmerTest} says, with its defaults when a test has no annotation. */
    record Settings(Duration timeout, boolean debug, OptionalLong shuffleSeed) {

        static Settings of(SimmerTest test) {
            Duration timeout = test == null || test.timeout() <= 0 ? Duration.ZERO
                    : Duration.of(test.timeout(), test.timeoutUnit().toChronoUnit());
            return new Settings(timeout, test == null || test.debug(), seed(test));
        }

        private static OptionalLong seed(SimmerTest test) {
            if (test != null && test.shuffleSeed() != SimmerTest.NO_SEED) {
                return OptionalLong.of(test.shuffleSeed());
            }
            Long property = Long.getLong(Runner.SHUFFLE_SEED_PROPERTY);
            if (property != null) {
                return OptionalLong.of(property);
            }
            if (test != null && test.shuffle()) {
                return OptionalLong.of(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            }
            return OptionalLong.empty();
        }
    }

    /**
     * Runs {@code body} as the main task of a new loop on {@code clock}, recording into
     * {@code timeline} if it is not null; throws what makes the test fail.
     */
    static void run(String name, Settings settings, TestClock clock, Timeline timeline, Body body) throws Throwable {
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        Runner runner = Runner.create().testClock(clock).debug(settings.debug()).exceptionHandler(reports::add)
                .timeline(timeline);
        if (settings.shuffleSeed().isPresent()) {
            runner.shuffleSeed(settings.shuffleSeed().getAsLong());
        } else {
            runner.noShuffle();
        }
        Throwable failure = null;
        try {
            runner.run(() -> {
                EventLoop loop = Async.loop();
                if (settings.timeout().isZero()) {
                    runBody(loop, body);
                } else {
                    runWithTimeout(loop, body, settings.timeout());
                }
                checkNothingLeftRunning(loop);
            });
        } catch (Throwable e) {
            failure = e;
        }
        if (!reports.isEmpty()) {
            AssertionError reported = unreceivedErrors(reports);
            if (failure == null) {
                failure = reported;
            } else {
                failure.addSuppressed(reported);
            }
        }
        if (failure != null && settings.shuffleSeed().isPresent()) {
            long seed = settings.shuffleSeed().getAsLong();
            String replay = name + " failed under schedule fuzzing with seed " + seed + ". Replay this order with "
                    + "@SimmerTest(shuffleSeed = " + seed + "L) or -D" + Runner.SHUFFLE_SEED_PROPERTY + "=" + seed + ".";
            System.err.println("[simmer] " + replay);
            failure.addSuppressed(new ShuffleSeed(replay));
        }
        if (failure != null && timeline != null) {
            System.err.println("[simmer] Timeline of " + name + ":\n" + timeline.toGantt());
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void runBody(EventLoop loop, Body body) throws Exception {
        try {
            body.run(loop);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new java.lang.reflect.UndeclaredThrowableException(e);
        }
    }

    private static void runWithTimeout(EventLoop loop, Body body, Duration timeout) throws Exception {
        String[] dump = new String[1];
        // Set before the timeout's own timer, so it fires first, while the tasks still wait where they hung.
        TimerHandle watch = loop.callLater(timeout, () -> dump[0] = loop.dumpTasks());
        try {
            Async.timeout(timeout, () -> {
                runBody(loop, body);
                return null;
            });
        } catch (AsyncTimeoutException e) {
            if (dump[0] == null) {
                throw e; // one of the test's own timeouts
            }
            AssertionError timedOut = new AssertionError("The test did not end within " + timeout
                    + " of virtual time (@SimmerTest timeout). Live tasks when it timed out:\n" + dump[0]);
            timedOut.initCause(e);
            throw timedOut;
        } finally {
            watch.cancel();
        }
    }

    private static void checkNothingLeftRunning(EventLoop loop) {
        Task<?> self = Async.currentTask();
        List<Task<?>> left = new ArrayList<>(loop.tasks());
        left.remove(self);
        if (!left.isEmpty()) {
            throw new AssertionError("The test left " + left.size() + (left.size() == 1 ? " task" : " tasks")
                    + " running: " + left.stream().map(Task::name).toList() + ". Await or cancel every task the test"
                    + " starts (a task group does it for you). Tasks:\n" + loop.dumpTasks());
        }
    }

    private static AssertionError unreceivedErrors(List<ErrorReport> reports) {
        StringBuilder message = new StringBuilder("The event loop reported ").append(reports.size())
                .append(reports.size() == 1 ? " error" : " errors").append(" that nobody received:");
        for (ErrorReport r : reports) {
            message.append("\n  - ").append(r.message());
        }
        AssertionError error = new AssertionError(message.toString());
        for (ErrorReport r : reports) {
            if (r.exception() != null) {
                error.addSuppressed(r.exception());
            }
        }
        return error;
    }

    /** Attached to a failure under schedule fuzzing: says which seed replays it. */
    static final class ShuffleSeed extends RuntimeException {
        ShuffleSeed(String message) {
            super(message, null, false, false);
        }
    }
}
