package dev.simmer.sync;

import dev.simmer.CancelledException;
import dev.simmer.EventLoop;
import dev.simmer.Task;
import dev.simmer.internal.Parking;
import dev.simmer.internal.WaitLabels;

import java.util.ArrayDeque;

/**
 * A counter of permits for tasks (asyncio's {@code Semaphore}): {@link #acquire()} takes a
 * permit, suspending while there is none; {@link #release()} gives one back.
 *
 * <pre>{@code
 * Semaphore downloads = new Semaphore(3);   // at most three at a time
 * try (var permit = downloads.acquire()) {
 *     fetch(url);
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Fair, in asyncio 3.11+'s strict FIFO order: waiters get permits in the order they
 *       started waiting, and a task arriving while anyone waits queues behind them, even if
 *       a permit is free at that moment. A released permit is promised to the oldest waiter;
 *       until that waiter has run again, the semaphore stays {@link #locked()}, and when it
 *       runs it wakes as many of the next waiters as there are free permits. So tasks
 *       finish in the order they would under asyncio 3.13. {@link #acquire()} does not
 *       suspend when a permit is free and nobody waits.
 *   <li>Permits have no owner: any task or callback may {@link #release()}. Releasing more
 *       than was acquired raises the count above the initial value; use
 *       {@link BoundedSemaphore} to make that an error.
 *   <li>Cancellation: a waiter cancelled before it is granted leaves the queue; one cancelled
 *       just after it was granted (before it ran again) gives its permit back (to the next
 *       waiter) before its {@link CancelledException} propagates.
 * </ul>
 *
 * <p>Use this, not {@code java.util.concurrent.Semaphore}: on the fast path every task runs on
 * the loop thread, and a blocking semaphore would block all of them.
 *
 * <p>Must be called from the loop thread. Bound to the loop that first uses it; use from
 * another loop is an {@link IllegalStateException}.
 */
public sealed class Semaphore permits BoundedSemaphore {
    /*
     * Overview (asyncio 3.13's algorithm): `value` counts permits neither held nor promised.
     * `waiters` holds a record per waiting task, oldest first (its task parks, through
     * internal.Parking: no Promise per wait); a record stays in it until its task runs again
     * (granted or not) and removes it. A record is pending (its task parked), granted, or
     * cancelled (a cancellation woke its task first), as asyncio's waiter futures are.
     *
     *   release():    value++, then wakeUpNext()
     *   wakeUpNext(): the oldest pending record gets a permit: value--, its task is unparked
     *   locked():     value == 0, or some waiter is not cancelled (pending, or granted but
     *                 not resumed yet): a newcomer must queue behind it (strict FIFO)
     *   a waiter that resumes removes its promise; if it was granted but is cancelled it
     *   gives the permit back (value++); either way it then wakes waiters while value > 0,
     *   those who queued behind it only because of FIFO.
     */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    /** A task waiting in acquire(), and whether it was granted a permit. */
    private static final class Waiter {
        final Task<?> task;
        boolean granted;

        Waiter(Task<?> task) {
            this.task = task;
        }

        /** Pending, or granted and not resumed yet: a newcomer must queue behind it. */
        boolean live() {
            return granted || KERNEL.isParked(task);
        }
    }

    private static final Parking.Kernel KERNEL = SyncSupport.KERNEL;
    private WaitLabels.Label label;
    private final Runnable releaser = this::release; // what each Held runs: one per lock, not one per acquire
    private final int initial;
    private final boolean bounded;
    private EventLoop loop;
    private int value;

    /**
     * A semaphore with {@code permits} free permits.
     *
     * @param permits the number of tasks that may hold a permit at once at the start, zero or more
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public Semaphore(int permits) {
        this(permits, false);
    }

    Semaphore(int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("Semaphore permits must be >= 0, got " + permits);
        }
        this.initial = permits;
        this.value = permits;
        this.bounded = bounded;
    }

    /**
     * Takes a permit, suspending while none is free (or others wait first); returns a handle
     * whose {@code close()} releases it.
     *
     * @return the permit; {@code close()} it (try-with-resources) to give it back
     * @throws CancelledException if the task is cancelled while it waits (it then holds no permit)
     * @throws IllegalStateException from a plain callback, or from another loop than the semaphore's
     */
    public final Held acquire() {
        EventLoop l = bind("Semaphore.acquire");
        Task<?> me = SyncSupport.requireTask(l, this, "Semaphore.acquire");
        if (!isLocked()) {
            value--;
            return held();
        }
        WaitLabels.Label what = label;
        if (what == null) { // made once, at the first wait: what task dumps say of a waiter here
            label = what = WaitLabels.of("Semaphore.acquire()", this);
        }
        Waiter w = new Waiter(me);
        waiters.add(w);
        try {
            try {
                KERNEL.park(me, what);
            } finally {
                waiters.remove(w);
            }
        } catch (Throwable e) {
            if (w.granted) {
                value++; // granted at the moment we were cancelled: the permit goes back
            }
            throw e;
        } finally {
            // Others may have queued behind us only because of FIFO: wake as many as there are permits.
            while (value > 0 && wakeUpNext()) {
                // woke one
            }
        }
        return held();
    }

    /**
     * Takes a permit if {@link #acquire()} would not suspend (a permit is free and nobody
     * waits), without suspending.
     *
     * <pre>{@code
     * if (!slots.tryAcquire()) {
     *     throw new IllegalStateException("too many concurrent requests");
     * }
     * try {
     *     serve(request);
     * } finally {
     *     slots.release();
     * }
     * }</pre>
     *
     * @return whether a permit was taken
     */
    public final boolean tryAcquire() {
        bind("Semaphore.tryAcquire");
        if (!isLocked()) {
            value--;
            return true;
        }
        return false;
    }

    /**
     * Gives a permit back: it is promised to the oldest waiter if any, else it is free.
     *
     * @throws IllegalStateException for a {@link BoundedSemaphore}, if all its permits are already free
     */
    public final void release() {
        bind("Semaphore.release");
        if (bounded && value >= initial) {
            throw new IllegalStateException("BoundedSemaphore.release: released more often than acquired (all "
                    + initial + " permits are already free).");
        }
        release0();
    }

    /**
     * How many permits are free now: neither held nor promised to a waiter (asyncio's
     * {@code _value}). A free permit may still be out of reach of a newcomer while others
     * wait ahead of it: {@link #locked()} tells whether {@link #acquire()} would suspend.
     *
     * @return the number of free permits, zero or more
     */
    public final int available() {
        bind("Semaphore.available");
        return value;
    }

    /**
     * Whether {@link #acquire()} would suspend now (asyncio's {@code locked()}).
     *
     * @return {@code true} if no permit is free, or tasks wait (or were granted a permit and have
     *     not run yet) ahead of a newcomer
     */
    public final boolean locked() {
        bind("Semaphore.locked");
        return isLocked();
    }

    /** How many tasks wait for a permit, with those granted one that have not run again yet (asyncio's {@code len(_waiters)}). */
    final int waiterCount() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this))
                + " [available:" + value + ", waiters:" + waiters.size() + "]";
    }

    private void release0() {
        value++;
        wakeUpNext();
    }

    private boolean isLocked() {
        if (value == 0) {
            return true;
        }
        for (Waiter w : waiters) {
            if (w.live()) {
                return true; // pending, or granted and not resumed yet: FIFO says wait behind it
            }
        }
        return false;
    }

    /** Grants a permit to the oldest waiter still pending; false if there is none. */
    private boolean wakeUpNext() {
        for (Waiter w : waiters) {
            if (!w.granted && KERNEL.unpark(w.task)) { // one a cancellation has woken is skipped
                value--;
                w.granted = true;
                return true;
            }
        }
        return false;
    }

    private Held held() {
        return new Held(releaser);
    }

    private EventLoop bind(String call) {
        EventLoop l = SyncSupport.bind(loop, this, call);
        loop = l;
        return l;
    }
}
