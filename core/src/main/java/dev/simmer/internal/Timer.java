package dev.simmer.internal;

/**
 * One entry of the {@link TimerHeap}: a callback due at {@code deadline}. Ties between equal
 * deadlines are broken by {@code seq}, the order in which timers were created, so they fire
 * first in, first out. Three fields and no more, so that a sleeping task's timer takes 32
 * bytes: {@code seq} is negative once the timer has left the heap, {@code callback} null
 * once it was cancelled.
 *
 * <p>Must be used from the loop thread.
 */
public final class Timer {
    final long deadline;
    long seq;        // its place among equal deadlines; -1 once it has left the heap (fired, or dropped)
    Object callback; // null once cancelled

    Timer(long deadline, long seq, Object callback) {
        this.deadline = deadline;
        this.seq = seq;
        this.callback = callback;
    }

    /** When the timer is due, in loop nanoseconds. */
    public long deadline() {
        return deadline;
    }

    /**
     * What the timer is for: a {@code Task} to wake (a sleep), or a loop entry to run (a
     * {@code Handle} or {@code Runnable}); null once cancelled.
     */
    public Object callback() {
        return callback;
    }

    public boolean isCancelled() {
        return callback == null;
    }

    boolean inHeap() {
        return seq >= 0;
    }

    boolean before(Timer other) {
        return deadline < other.deadline || (deadline == other.deadline && seq < other.seq);
    }
}
