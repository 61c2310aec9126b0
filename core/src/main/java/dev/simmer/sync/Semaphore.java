package dev.simmer.sync;

import dev.simmer.CancelledException;
import dev.simmer.EventLoop;
import dev.simmer.Promise;

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
 *   <li>Fair: waiters get permits in the order they started waiting; a released permit
 *       passes straight to the oldest waiter, so a task arriving later cannot take it first
 *       (asyncio 3.11+). {@link #acquire()} does not suspend when a permit is free and nobody
 *       waits.
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
     * Overview: `value` counts free permits. Invariant: value > 0 implies no waiter is
     * pending, because release() hands a permit straight to the oldest waiter (completing
     * its promise) instead of incrementing `value` when someone waits. A waiter granted but
     * cancelled before it resumes owns a permit and releases it again.
     */
    private final SyncSupport.WaitList waiters = new SyncSupport.WaitList();
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
        SyncSupport.requireTask("Semaphore.acquire");
        if (value > 0) { // free permit, so nobody waits (invariant): no suspension
            value--;
            return held();
        }
        Promise<Void> p = waiters.add(l, "Semaphore.acquire()", this);
        try {
            SyncSupport.awaitWaiter(p);
        } catch (Throwable e) {
            if (SyncSupport.granted(p)) {
                release0(); // granted at the moment we were cancelled: give the permit back
            } else {
                waiters.remove(p);
            }
            throw e;
        }
        return held();
    }

    /**
     * Takes a permit if one is free, without suspending.
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
        if (value > 0) {
            value--;
            return true;
        }
        return false;
    }

    /**
     * Gives a permit back: to the oldest waiter if any, else to the free count.
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
     * How many permits are free now.
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
     * @return {@code true} if no permit is free
     */
    public final boolean locked() {
        bind("Semaphore.locked");
        return value == 0;
    }

    /** How many tasks wait for a permit. */
    final int waiterCount() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this))
                + " [available:" + value + ", waiters:" + waiters.size() + "]";
    }

    private void release0() {
        if (!waiters.wakeFirst()) {
            value++;
        }
    }

    private Held held() {
        return new Held(this::release);
    }

    private EventLoop bind(String call) {
        EventLoop l = SyncSupport.bind(loop, this, call);
        loop = l;
        return l;
    }
}
