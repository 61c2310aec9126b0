package dev.simmer;

import java.util.OptionalLong;

/**
 * The handle a timeout's body gets in {@link Async#timeoutScope(java.time.Duration, Body)}
 * and {@link Async#timeoutAtScope(long, Body)} (asyncio's {@code asyncio.Timeout}, the
 * object {@code async with asyncio.timeout(d) as cm:} binds): it tells the deadline and
 * whether it has passed, and moves it while the body runs.
 *
 * <pre>{@code
 * String reply = Async.timeoutScope(Duration.ofSeconds(5), scope -> {
 *     handshake(connection);                        // gets 5 s
 *     scope.reschedule(Async.loop().time() + Duration.ofSeconds(30).toNanos());
 *     return connection.readLine();                 // gets 30 s more from here
 * });
 * }</pre>
 *
 * <p>The rules are those of {@link Async#timeout(java.time.Duration, AsyncCallable)}: at the
 * deadline the task is cancelled, and the scope turns that one cancellation into an
 * {@link AsyncTimeoutException}; a cancellation from anywhere else goes through unchanged.
 * A deadline at or before the current time makes the body time out at its next suspension.
 * Once the scope has expired (it has cancelled the task) or its body has ended, it cannot be
 * rescheduled any more: {@link #reschedule} throws {@link IllegalStateException}, as asyncio's
 * raises {@code RuntimeError}.
 *
 * <p>Must be used from the loop thread (the body, another task or a callback of the same
 * loop may hold and move it).
 */
public final class TimeoutScope {
    /**
     * The body of a timeout scope: receives the scope, returns a value (a body with nothing
     * to return ends with {@code return null;}).
     *
     * @param <T> the type of the body's value
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * The work the timeout bounds, run in the calling task.
         *
         * @param scope the timeout's handle: its deadline, and whether it has expired
         * @return the value the timeout scope returns
         * @throws Exception any failure; it goes through the scope unchanged
         */
        T run(TimeoutScope scope) throws Exception;
    }

    /*
     * Overview: the scope's life, as asyncio's Timeout (Timeouts runs the body):
     *
     *   state      what it means                               next
     *   OPEN       the body runs; the deadline may move        the timer fires: EXPIRING; the body ends: ENDED
     *   EXPIRING   the timer fired and cancelled the task      the body ends: EXPIRED
     *   EXPIRED    ended after expiring                        -
     *   ENDED      ended before any deadline passed            -
     *
     * Only OPEN may be rescheduled. All of it is read and written on the loop thread.
     */
    enum State { OPEN, EXPIRING, EXPIRED, ENDED }

    final EventLoop loop;
    final Task<?> task;
    /** How many cancellation requests the task had on entry (see Timeouts). */
    final int before;
    private boolean hasDeadline;
    private long deadline;
    /** For the AsyncTimeoutException's message: "after 1.50 s", "at loop time 7 ns". */
    String description;
    private Handle timer; // a TimerHandle, or a callSoon handle for a deadline already passed
    State state = State.OPEN;

    TimeoutScope(EventLoop loop, Task<?> task) {
        this.loop = loop;
        this.task = task;
        this.before = task.cancelling();
    }

    /**
     * The deadline, in loop time ({@link EventLoop#time()} nanoseconds), or empty if the
     * scope has none (asyncio's {@code when()} returning {@code None}).
     *
     * @return the deadline in nanoseconds on the loop's clock; empty when the scope never expires
     */
    public OptionalLong when() {
        return hasDeadline ? OptionalLong.of(deadline) : OptionalLong.empty();
    }

    /**
     * Moves the deadline to {@code deadlineNanos} of loop time (asyncio's
     * {@code reschedule(when)}); earlier or later than the current one, or in the past, which
     * makes the body time out at its next suspension.
     *
     * <pre>{@code
     * scope.reschedule(Async.loop().time() + Duration.ofSeconds(10).toNanos());   // 10 s from now
     * }</pre>
     *
     * @param deadlineNanos the new deadline on the loop's clock, as {@link EventLoop#time()} gives it
     * @throws IllegalStateException if the scope has expired or its body has ended
     */
    public void reschedule(long deadlineNanos) {
        requireOpen("reschedule");
        disarm();
        arm(deadlineNanos, "at loop time " + deadlineNanos + " ns (rescheduled)");
    }

    /**
     * Removes the deadline: the scope never expires unless it is {@link #reschedule}d again
     * (asyncio's {@code reschedule(None)}).
     *
     * @throws IllegalStateException if the scope has expired or its body has ended
     */
    public void rescheduleNever() {
        requireOpen("rescheduleNever");
        disarm();
        hasDeadline = false;
    }

    /**
     * Whether the deadline has passed and the scope has cancelled the task for it (asyncio's
     * {@code expired()}). Stays {@code true} after the scope ends; {@code false} when the task
     * was cancelled by something else, such as an outer timeout.
     *
     * @return {@code true} once this scope's timer has fired
     */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    @Override
    public String toString() {
        String when = hasDeadline ? "deadline " + deadline + " ns" : "no deadline";
        return "TimeoutScope[" + when + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }

    // ----- for Timeouts -----

    /** Sets the deadline and starts its timer (the scope is OPEN). */
    void arm(long deadlineNanos, String description) {
        this.hasDeadline = true;
        this.deadline = deadlineNanos;
        this.description = description;
        // A deadline already passed fires on the next pass, before the body's own next step
        // (asyncio's call_soon here): a timer due now would only run after that step.
        this.timer = deadlineNanos <= loop.clock.nanoTime()
                ? loop.callSoon(this::fire)
                : loop.callAt(deadlineNanos, this::fire);
    }

    /** Stops the timer, if any. */
    void disarm() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** The body has ended: no timer any more, and no more moves. */
    void close() {
        disarm();
        state = state == State.EXPIRING ? State.EXPIRED : State.ENDED;
    }

    private void fire() {
        timer = null;
        state = State.EXPIRING;
        task.cancel("timed out");
    }

    private void requireOpen(String call) {
        loop.checkThread("TimeoutScope." + call);
        if (state == State.ENDED || state == State.EXPIRED) {
            throw new IllegalStateException("TimeoutScope." + call + ": the timeout's body has already ended;"
                    + " a timeout can only be moved while its body runs.");
        }
        if (state == State.EXPIRING) {
            throw new IllegalStateException("TimeoutScope." + call + ": the timeout has already expired and cancelled"
                    + " task '" + task.name() + "', so it cannot be moved any more; move it before its deadline,"
                    + " or catch the AsyncTimeoutException around the scope.");
        }
    }
}
