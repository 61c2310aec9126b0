package dev.simmer.internal;

/**
 * One entry of the {@link TimerHeap}: a callback due at {@code deadline}. Ties between equal
 * deadlines are broken by {@code seq}, the order in which timers were armed, so they fire
 * first in, first out. Three fields and no more: {@code seq} is negative while the timer is
 * out of the heap (not armed yet, fired, or dropped), and carries the {@link #CANCELLED} mark
 * once a timer in the heap was cancelled; a cancelled timer also lets go of its callback,
 * unless it is a fiber's.
 *
 * <p>{@code seq} is an {@code int}, not a {@code long}, so that a fiber, a timer with one
 * reference more, takes 32 bytes: a 12-byte header (the JDK's default) and 8 + 4 + 4 + 4. The
 * heap renumbers its entries before their numbers would reach the mark (see its overview).
 *
 * <p>A task's {@link Engine.Fiber} is a timer too, armed again for each of the task's sleeps
 * ({@link TimerHeap#rearm}), so that a sleep allocates nothing and a sleeping task carries no
 * timer object of its own. Its callback is its task, until the task has ended.
 *
 * <p>Must be used from the loop thread.
 */
public sealed class Timer permits Engine.Fiber {
    /** The mark {@code seq} carries once the timer was cancelled in the heap; order ignores it. */
    static final int CANCELLED = 1 << 30;

    long deadline;
    int seq;         // its place among equal deadlines, below CANCELLED, maybe marked so; -1 out of the heap
    Object callback; // what it is for; null once cancelled, unless it is a fiber's

    Timer(long deadline, int seq, Object callback) {
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
     * {@code Handle} or {@code Runnable}); null once cancelled, unless it is a fiber's.
     */
    public Object callback() {
        return callback;
    }

    /** Whether it was cancelled and is still in the heap, not dropped yet. */
    public boolean isCancelled() {
        return seq > 0 && (seq & CANCELLED) != 0;
    }

    boolean inHeap() {
        return seq >= 0;
    }

    boolean before(Timer other) {
        return deadline < other.deadline
                || (deadline == other.deadline && (seq & ~CANCELLED) < (other.seq & ~CANCELLED));
    }
}
