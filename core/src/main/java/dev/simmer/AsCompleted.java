package dev.simmer;

import dev.simmer.internal.WaitLabels;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * {@link Async#asCompleted}: the given tasks, one at a time, in the order they end (asyncio's
 * {@code as_completed}). It is its own iterator, as asyncio's is: iterating it again goes on
 * where the last loop stopped.
 *
 * <p>Must be called from the loop thread; {@code next()} from inside a task.
 */
final class AsCompleted<T> implements AsyncIterable<Task<T>>, AsyncIterator<Task<T>> {
    /*
     * Overview (asyncio 3.13's _AsCompletedIterator): tasks already ended go into `ended` at
     * once, in the order given; every other task gets a done-callback that appends it when it
     * ends, and completes `arrival` if next() is waiting. `remaining` counts the tasks next()
     * has not handed out yet, so hasNext() never suspends. With a deadline, a timer sets
     * `timedOut`: arrivals after it are ignored, and each further next() that finds nothing
     * ended throws AsyncTimeoutException (asyncio raises TimeoutError from each remaining
     * awaitable). Nothing is ever cancelled.
     */
    private final EventLoop loop;
    private final ArrayDeque<Task<T>> ended = new ArrayDeque<>();
    private final String timeoutDescription;
    private int remaining;
    private static final WaitLabels.Label NEXT = WaitLabels.of("Async.asCompleted(...): the next task to end", null);
    private Promise<Void> arrival;
    private TimerHandle timer;
    private boolean timedOut;
    private boolean closed;

    /** {@code deadline} in loop time, used only if {@code timeoutDescription} is not null. */
    @SuppressWarnings("unchecked")
    AsCompleted(Collection<? extends Task<? extends T>> tasks, long deadline, String timeoutDescription) {
        this.loop = EventLoop.runningLoop("Async.asCompleted");
        this.timeoutDescription = timeoutDescription;
        Set<Task<? extends T>> all = Waiting.distinctTasks(loop, loop.currentTask(), tasks, "Async.asCompleted");
        remaining = all.size();
        for (Task<? extends T> t : all) {
            // Task<? extends T> is a Task<T> to a reader: no public method of Task takes a T.
            Task<T> task = (Task<T>) t;
            if (task.isDone()) {
                ended.add(task);
            } else {
                task.addCallback(() -> arrived(task));
            }
        }
        if (timeoutDescription != null && ended.size() < remaining) {
            timer = loop.callAt(deadline, this::expire);
        }
    }

    @Override
    public AsyncIterator<Task<T>> iterator() {
        return this;
    }

    /** Whether a task is left to hand out; never suspends. */
    @Override
    public boolean hasNext() {
        return remaining > 0;
    }

    /**
     * The next task to end, in completion order (those that had ended before the call to
     * {@code asCompleted} come first, in the order given); suspends until one ends.
     *
     * @throws NoSuchElementException if every task was handed out
     * @throws AsyncTimeoutException  if the deadline passed and no ended task is left to hand out
     * @throws CancelledException     if the calling task is cancelled while it waits (the
     *                                tasks themselves are not touched)
     */
    @Override
    public Task<T> next() {
        loop.checkThread("AsCompleted.next");
        if (remaining == 0) {
            throw new NoSuchElementException("every task was handed out");
        }
        while (ended.isEmpty()) {
            if (timedOut || closed) {
                remaining--;
                if (closed) {
                    throw new IllegalStateException("This as-completed iterator was closed.");
                }
                throw new AsyncTimeoutException("as-completed timed out " + timeoutDescription
                        + " with " + (remaining + 1) + " task(s) still running", null);
            }
            Task<?> me = loop.requireTask("AsCompleted.next");
            Promise<Void> a = new Promise<Void>(loop).label(NEXT);
            arrival = a;
            try {
                me.waitFor(a, false);
            } finally {
                arrival = null;
            }
        }
        remaining--;
        if (remaining == 0) {
            cancelTimer();
        }
        return ended.poll();
    }

    /**
     * Stops watching: the timer (if any) is cancelled and tasks ending from now on are no
     * longer handed out. Tasks already ended are still returned by {@link #next()}.
     */
    @Override
    public void close() {
        loop.checkThread("AsCompleted.close");
        closed = true;
        cancelTimer();
        wakeNext();
    }

    private void arrived(Task<T> task) {
        if (timedOut || closed) {
            return;
        }
        ended.add(task);
        wakeNext();
    }

    private void expire() {
        timer = null;
        timedOut = true;
        wakeNext();
    }

    private void wakeNext() {
        Promise<Void> a = arrival;
        if (a != null) {
            a.complete0(null);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    @Override
    public String toString() {
        return "AsCompleted[" + remaining + " left, " + ended.size() + " ended and not handed out"
                + (timedOut ? ", timed out" : "") + "]";
    }
}
