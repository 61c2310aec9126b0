package dev.simmer.internal;

/**
 * Where an event loop reads time: monotonic nanoseconds from an arbitrary origin.
 *
 * <p>The loop calls {@link #skipTo} when it would otherwise wait for its next timer and no
 * thread-side work is in flight. A real clock declines (the loop then waits for real); a
 * virtual clock jumps to the deadline, so a test that sleeps an hour runs in microseconds.
 *
 * <p>Must be called from the loop thread.
 */
public interface Clock {

    /** The current time in nanoseconds. Never decreases. */
    long nanoTime();

    /**
     * The loop has nothing to do before {@code deadline}. Returns {@code true} if the clock
     * moved there by itself (virtual time), {@code false} if the loop must wait for real.
     */
    default boolean skipTo(long deadline) {
        return false;
    }

    /** Whether this clock is virtual (it jumps when the loop is idle rather than passing for real). */
    default boolean isVirtual() {
        return false;
    }

    /** The clock of the machine: {@link System#nanoTime()}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** A clock that starts at zero and only moves when told or when the loop is idle. */
    static VirtualClock virtual() {
        return new VirtualClock();
    }

    /** The real clock. */
    enum SystemClock implements Clock {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    }
}
