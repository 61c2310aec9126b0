package dev.simmer;

import java.util.function.Consumer;

/**
 * A callback registered with {@link Task#onDone}: {@link #remove()} takes it back
 * (asyncio's {@code remove_done_callback}), so that it never runs.
 *
 * <pre>{@code
 * DoneCallback watch = task.onDone(t -> System.out.println(t.name() + " ended"));
 * // ...
 * watch.remove();   // prints nothing, even if the task has ended and the callback is queued
 * }</pre>
 *
 * <p>Must be used from the loop thread.
 */
public final class DoneCallback {
    /*
     * Overview: `entry` is what the task's callback list holds. When the task ends, the
     * entry is put on the ready queue and runs on the next pass; remove() takes it off the
     * task's list while the task is pending, and after that makes the queued entry do
     * nothing. So a removed callback never runs, where asyncio's remove_done_callback comes
     * too late once the future is done.
     */
    private enum State { REGISTERED, RAN, REMOVED }

    private final Task<?> task;
    private final Runnable entry;
    private State state = State.REGISTERED;

    <T> DoneCallback(Task<T> task, Consumer<? super Task<T>> callback) {
        this.task = task;
        this.entry = () -> {
            if (state == State.REGISTERED) {
                state = State.RAN;
                callback.accept(task);
            }
        };
    }

    /** What the task's callback list holds. */
    Runnable entry() {
        return entry;
    }

    /**
     * Takes the callback back: if it has not run yet, it never will. Removing it twice, or
     * after it ran, does nothing.
     *
     * @return {@code true} if the callback was still waiting to run and now never will;
     *     {@code false} if it had already run or been removed
     */
    public boolean remove() {
        task.loop.checkThread("DoneCallback.remove");
        if (state != State.REGISTERED) {
            return false;
        }
        state = State.REMOVED;
        task.removeCallback(entry); // pending task: off its list; ended: the queued entry does nothing
        return true;
    }

    /**
     * Whether the callback has been taken back with {@link #remove()}.
     *
     * @return {@code true} once {@link #remove()} returned {@code true}
     */
    public boolean isRemoved() {
        return state == State.REMOVED;
    }

    @Override
    public String toString() {
        return "DoneCallback[" + task + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
}
