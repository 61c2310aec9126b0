package dev.simmer.internal;

/**
 * One entry of the {@link TimerHeap}: a callback due at {@code deadline}. Ties between equal
 * deadlines are broken by {@code seq}, the order in which timers were created, so they fire
 * first in, first out.
 *
 * <p>Must be used from the loop thread.
 */
public final class Timer {
    final long deadline;
    final long seq;
    Object callback;
    int index = -1; // position in the heap array; -1 once it has left the heap
    boolean cancelled;

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
        return cancelled;
    }

    boolean before(Timer other) {
        return deadline < other.deadline || (deadline == other.deadline && seq < other.seq);
    }
}
