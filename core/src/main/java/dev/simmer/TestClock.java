package dev.simmer;

import dev.simmer.internal.Clock;

import java.time.Duration;
import java.util.Objects;

/**
 * Virtual time that a test moves by hand, step by step (kotlinx-coroutines-test's
 * {@code advanceTimeBy}, {@code runCurrent} and {@code advanceUntilIdle}). Time starts at
 * zero. Like {@link Runner#virtualTime plain virtual time}, it jumps to the next timer
 * whenever every task waits; the methods below let the test task decide where to stop and
 * look.
 *
 * <pre>{@code
 * TestClock clock = TestClock.create();
 * Runner.create().testClock(clock).run(() -> {
 *     Task<String> reminder = Async.createTask(() -> {
 *         Async.sleep(Duration.ofMinutes(10));
 *         return "tea is ready";
 *     });
 *     clock.advanceBy(Duration.ofMinutes(9));
 *     assert !reminder.isDone();                // nine minutes in: still steeping
 *     clock.advanceBy(Duration.ofMinutes(1));
 *     assert reminder.isDone();                 // exactly ten minutes in: done
 *     assert clock.currentTime().equals(Duration.ofMinutes(10));
 * });
 * }</pre>
 *
 * <p>{@link #advanceBy}, {@link #runCurrent} and {@link #advanceUntilIdle} suspend the
 * calling task while the others run, so they must be called from inside a task of the loop
 * this clock drives. The {@code simmer-testing} JUnit extension hands a test its clock as a
 * parameter. A clock drives one loop at a time; a second run on the same clock continues
 * from the time where the first one ended.
 *
 * <p>Must be called from the loop thread; {@link #currentTime()} may also be read after the
 * run has ended.
 */
public final class TestClock {
    /*
     * Overview: the loop asks its clock to skipTo(deadline) exactly when it is idle (nothing
     * ready, nothing handed in, nothing in flight) and has a timer. Plain virtual time jumps
     * there. When the test task waits "until idle up to `limit`", the clock jumps only to
     * deadlines at or before `limit`; the first time the loop is idle with the next timer
     * later than that, it completes the test task's promise instead of moving (and, for
     * advanceBy, sets the time to `limit`). A timer at Long.MAX_VALUE keeps the loop asking
     * the clock while the test task waits, so "everything else waits on nothing timed" is
     * an idle loop and not a deadlock.
     */
    private final Hand hand = new Hand();
    private long now;
    private Promise<Void> idleWaiter;
    private long idleLimit;
    private boolean moveToLimit;

    private TestClock() {
    }

    /**
     * A new clock at time zero; give it to {@link Runner#testClock}.
     *
     * @return a clock at virtual time zero, not yet driving a loop
     */
    public static TestClock create() {
        return new TestClock();
    }

    /**
     * Virtual time since the clock started.
     *
     * @return the virtual time elapsed since zero
     */
    public Duration currentTime() {
        return Duration.ofNanos(now);
    }

    /**
     * Lets time pass by {@code delay}: runs every task and callback due up to and including
     * {@link #currentTime()} {@code + delay}, in order, and everything that they make ready
     * at those times; returns with the clock at exactly that time.
     *
     * @param delay how far to move time, zero or more; zero runs what is ready now, like
     *     {@link #runCurrent()}
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws IllegalStateException outside a task of the loop this clock drives
     * @throws IllegalStateException also if another task already advances this clock
     * @throws Exception {@link CancelledException} if the calling task is cancelled meanwhile
     */
    public void advanceBy(Duration delay) throws Exception {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("virtual time cannot go back (advanceBy " + delay + ")");
        }
        EventLoop loop = drivenLoop("TestClock.advanceBy");
        waitUntilIdle(loop, Math.min(Timeouts.saturatedAdd(now, delay), Long.MAX_VALUE - 1), true);
    }

    /**
     * Runs everything ready at the current time, and everything that makes ready at this
     * time, until only later timers (or nothing) are left; time does not move.
     *
     * @throws IllegalStateException outside a task of the loop this clock drives
     * @throws Exception {@link CancelledException} if the calling task is cancelled meanwhile
     */
    public void runCurrent() throws Exception {
        EventLoop loop = drivenLoop("TestClock.runCurrent");
        waitUntilIdle(loop, now, false);
    }

    /**
     * Runs until nothing is left to do: every other task has ended or waits on something
     * that no timer will bring (a promise, an event, another task doing the same), jumping
     * time to each timer on the way. A timer that re-arms itself forever makes this run
     * forever, as in kotlinx-coroutines-test.
     *
     * @throws IllegalStateException outside a task of the loop this clock drives
     * @throws Exception {@link CancelledException} if the calling task is cancelled meanwhile
     */
    public void advanceUntilIdle() throws Exception {
        EventLoop loop = drivenLoop("TestClock.advanceUntilIdle");
        waitUntilIdle(loop, Long.MAX_VALUE - 1, false);
    }

    /**
     * Moves time forward at once by {@code delay}, running nothing: as if the current step
     * had taken that long (for example to make debug mode see a step that blocks the loop).
     *
     * @param delay how far to move time, zero or more
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public void jump(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("virtual time cannot go back (jump " + delay + ")");
        }
        now = Timeouts.saturatedAdd(now, delay);
    }

    @Override
    public String toString() {
        return "TestClock[" + currentTime() + "]";
    }

    /** The loop's side: what the runner installs. */
    Clock asClock() {
        return hand;
    }

    private EventLoop drivenLoop(String call) {
        EventLoop loop = EventLoop.runningLoop(call);
        if (loop.clock != hand) {
            throw new IllegalStateException(call + ": this TestClock does not drive the running loop. Run the code with "
                    + "Runner.create().testClock(clock), or take the clock the test extension passes in.");
        }
        loop.requireTask(call);
        return loop;
    }

    private void waitUntilIdle(EventLoop loop, long limit, boolean move) throws Exception {
        if (idleWaiter != null) {
            throw new IllegalStateException("Another task already waits on this TestClock; advance time from one task only.");
        }
        Promise<Void> idle = loop.createPromise();
        TimerHandle keepAsking = loop.callAt(Long.MAX_VALUE, () -> { });
        idleWaiter = idle;
        idleLimit = limit;
        moveToLimit = move;
        try {
            idle.await();
        } finally {
            idleWaiter = null;
            keepAsking.cancel();
        }
    }

    private final class Hand implements Clock {
        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public boolean skipTo(long deadline) {
            Promise<Void> waiter = idleWaiter;
            if (waiter != null && deadline > idleLimit) {
                if (moveToLimit && idleLimit > now) {
                    now = idleLimit;
                }
                idleWaiter = null;
                waiter.complete(null); // wakes the test task; the loop runs it on this pass
                return true;
            }
            if (deadline > now) {
                now = deadline;
            }
            return true;
        }
    }
}
