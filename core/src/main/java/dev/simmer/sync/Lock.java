package dev.simmer.sync;

import dev.simmer.CancelledException;
import dev.simmer.EventLoop;
import dev.simmer.Task;
import dev.simmer.internal.Parking;
import dev.simmer.internal.WaitLabels;

import java.util.ArrayDeque;

/**
 * A mutual-exclusion lock for tasks (asyncio's {@code Lock}), owned by the task that
 * acquired it.
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * try (var held = lock.acquire()) {   // suspends while another task holds it
 *     balance = balance + amount;     // may suspend in here: others still wait
 * }
 * }</pre>
 *
 * <p>Why not {@code synchronized} or {@code ReentrantLock}: on the fast path every task runs
 * on the loop thread, so those give no exclusion between tasks (and blocking the loop thread
 * would stop every task). Use this lock, which suspends the task instead.
 *
 * <ul>
 *   <li>Fair: waiters get the lock in the order they started waiting. On release the lock
 *       passes straight to the oldest waiter, so no task arriving later can take it first.
 *   <li>Fast path: {@link #acquire()} does not suspend when the lock is free and nobody waits.
 *   <li>Not reentrant: acquiring it again from the task that holds it is an
 *       {@link IllegalStateException} (it would wait forever). Releasing it from any other
 *       task than the owner, or when it is free, is an {@link IllegalStateException} too.
 *   <li>Cancellation: a waiter cancelled before it is granted leaves the queue; a waiter
 *       cancelled just after it was granted (before it ran again) passes the lock on to the
 *       next waiter before its {@link CancelledException} propagates. Nothing is lost,
 *       nothing granted twice.
 * </ul>
 *
 * <p>Must be called from the loop thread. Bound to the loop that first uses it; use from
 * another loop is an {@link IllegalStateException}.
 */
public final class Lock {
    /*
     * Overview: `owner` is the task holding the lock, or null. `waiters` holds, oldest first,
     * the tasks parked waiting for it (internal.Parking: no Promise per wait). release() hands
     * the lock over directly: owner becomes the oldest waiter's task, which is unparked (it
     * resumes on the next pass); a waiter whose task a cancellation has woken already is
     * skipped (unpark says false). Invariant: owner == null implies waiters is empty (a
     * waiter is only queued while someone owns the lock, and release never leaves a waiter
     * behind a free lock).
     *
     * A waiter that gets a CancelledException checks whether it was made the owner: not ->
     * it leaves the queue; yes (granted at the moment it was cancelled) -> it hands the lock
     * on as release() would.
     */
    private static final Parking.Kernel KERNEL = SyncSupport.KERNEL;

    private final ArrayDeque<Task<?>> waiters = new ArrayDeque<>();
    private final Runnable releaser = this::release; // what each Held runs: one per lock, not one per acquire
    private EventLoop loop;
    private Task<?> owner;
    private WaitLabels.Label acquiring; // what task dumps say of a waiter; made at the first wait

    /** A free lock, bound to the loop that first uses it. */
    public Lock() {
    }

    /**
     * Acquires the lock, suspending while another task holds it; returns a handle whose
     * {@code close()} releases it.
     *
     * @return the held lock; {@code close()} it (try-with-resources) to release it
     * @throws CancelledException if the task is cancelled while it waits (it then does not hold the lock)
     * @throws IllegalStateException from a plain callback, from the task that already holds
     *         it, or from another loop than the lock's
     */
    public Held acquire() {
        EventLoop l = bind("Lock.acquire");
        Task<?> me = SyncSupport.requireTask(l, this, "Lock.acquire");
        if (owner == null) { // free, so nobody waits (invariant): no suspension
            owner = me;
            return held();
        }
        if (owner == me) {
            throw new IllegalStateException("Lock.acquire: " + SyncSupport.who(me) + " already holds this lock and"
                    + " Lock is not reentrant (waiting would never end). Release it first, or restructure the code"
                    + " so the lock is taken once.");
        }
        if (acquiring == null) {
            acquiring = WaitLabels.of("Lock.acquire()", this);
        }
        waiters.add(me);
        try {
            KERNEL.park(me, acquiring);
        } catch (Throwable e) {
            if (owner == me) {
                handOn(); // granted at the moment we were cancelled: the lock is ours, pass it on
            } else {
                waiters.remove(me);
            }
            throw e;
        }
        assert owner == me : "a lock waiter resumed without the lock";
        return held();
    }

    /**
     * Acquires the lock if it is free and nobody waits for it, without suspending.
     *
     * <pre>{@code
     * if (lock.tryAcquire()) {
     *     try {
     *         refreshCache();
     *     } finally {
     *         lock.release();
     *     }
     * } // else someone else is refreshing: skip
     * }</pre>
     *
     * @return whether the current task now holds it
     * @throws IllegalStateException from a plain callback, or from another loop than the lock's
     */
    public boolean tryAcquire() {
        bind("Lock.tryAcquire");
        Task<?> me = SyncSupport.requireTask("Lock.tryAcquire");
        if (owner != null) {
            return false;
        }
        owner = me;
        return true;
    }

    /**
     * Releases the lock; the oldest waiter, if any, gets it.
     *
     * @throws IllegalStateException if the current task does not hold it
     */
    public void release() {
        bind("Lock.release");
        Task<?> me = dev.simmer.Async.currentTask();
        if (owner == null) {
            throw new IllegalStateException("Lock.release: the lock is not held (released twice?).");
        }
        if (owner != me) {
            throw new IllegalStateException("Lock.release: the lock is held by " + SyncSupport.who(owner)
                    + ", not by " + SyncSupport.who(me) + ". Only the task that acquired a Lock may release it.");
        }
        handOn();
    }

    /**
     * Whether some task holds the lock (asyncio's {@code locked()}).
     *
     * @return {@code true} while a task holds the lock
     */
    public boolean locked() {
        bind("Lock.locked");
        return owner != null;
    }

    /**
     * Whether the current task holds the lock.
     *
     * @return {@code true} if the calling task holds it; {@code false} for another holder, none, or a plain
     *     callback
     */
    public boolean isHeldByCurrentTask() {
        bind("Lock.isHeldByCurrentTask");
        return owner != null && owner == dev.simmer.Async.currentTask();
    }

    /** How many tasks wait for the lock (those granted but not yet resumed are not counted). */
    int waiterCount() {
        return waiters.size();
    }

    @Override
    public String toString() {
        String state = owner == null ? "unlocked" : "locked by " + owner.name() + ", waiters:" + waiters.size();
        return "Lock@" + Integer.toHexString(System.identityHashCode(this)) + " [" + state + "]";
    }

    // ----------------------------------------------------------------- internals

    private Held held() {
        return new Held(releaser);
    }

    /** The owner gives the lock to the oldest pending waiter, or frees it. */
    private void handOn() {
        for (Task<?> w; (w = waiters.poll()) != null; ) {
            if (KERNEL.unpark(w)) { // a waiter a cancellation has woken already is skipped
                owner = w;
                return;
            }
        }
        owner = null;
    }

    private EventLoop bind(String call) {
        EventLoop l = SyncSupport.bind(loop, this, call);
        loop = l;
        return l;
    }
}
