package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.EventLoop;
import dev.simmer.Promise;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for tasks (asyncio's {@code Condition}): tasks holding its
 * {@link Lock} wait with {@link #await()} until another task signals.
 *
 * <pre>{@code
 * Condition changed = new Condition();
 * // consumer
 * try (var held = changed.acquire()) {
 *     changed.awaitUntil(() -> !items.isEmpty());
 *     item = items.removeFirst();
 * }
 * // producer
 * try (var held = changed.acquire()) {
 *     items.add(item);
 *     changed.signal();
 * }
 * }</pre>
 *
 * <p>Java adaptation of the names: {@code Object.wait/notify} are final, so asyncio's
 * {@code wait}, {@code wait_for}, {@code notify} and {@code notify_all} are {@link #await()},
 * {@link #awaitUntil}, {@link #signal()} and {@link #signalAll()}.
 *
 * <ul>
 *   <li>{@link #await()} and the signals require the current task to hold the lock, else
 *       {@link IllegalStateException}.
 *   <li>{@link #await()} releases the lock, waits for a signal, and re-acquires the lock
 *       before it returns or throws, also when the task is cancelled.
 *   <li>Signals wake waiters in the order they started waiting.
 *   <li>A waiter that leaves {@link #await()} with an exception (cancelled while it waits for
 *       a signal or while it re-acquires the lock) wakes the next waiter, so a signal meant
 *       for it is never lost (asyncio 3.13 does the same); the price is an occasional wake-up
 *       with nothing to do, which {@link #awaitUntil} absorbs.
 * </ul>
 *
 * <p>Must be called from the loop thread. Bound to the loop that first uses it; use from
 * another loop is an {@link IllegalStateException}.
 */
public final class Condition {
    private final Lock lock;
    private final SyncSupport.WaitList waiters = new SyncSupport.WaitList();
    private EventLoop loop;

    /** A condition with a lock of its own. */
    public Condition() {
        this(new Lock());
    }

    /**
     * A condition on {@code lock} (several conditions may share one lock).
     *
     * @param lock the lock this condition waits and signals under; not {@code null}
     */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /**
     * The lock of this condition.
     *
     * @return the lock given to the constructor, or the condition's own
     */
    public Lock lock() {
        return lock;
    }

    /**
     * Acquires the lock ({@link Lock#acquire()}); close the handle to release it.
     *
     * @return the held lock; {@code close()} it (try-with-resources) to release it
     */
    public Held acquire() {
        bind("Condition.acquire");
        return lock.acquire();
    }

    /** Releases the lock ({@link Lock#release()}). */
    public void release() {
        bind("Condition.release");
        lock.release();
    }

    /**
     * Whether the lock is held ({@link Lock#locked()}).
     *
     * @return {@code true} while a task holds the lock
     */
    public boolean locked() {
        bind("Condition.locked");
        return lock.locked();
    }

    /**
     * Releases the lock, waits for a signal, and re-acquires the lock. The lock is held again
     * when this returns or throws.
     *
     * <pre>{@code
     * try (var held = changed.acquire()) {
     *     while (items.isEmpty()) {
     *         changed.await();   // releases the lock while it waits
     *     }
     *     item = items.removeFirst();
     * }
     * }</pre>
     *
     * <p>A waiter that leaves with an exception (cancelled while it waits for the signal or
     * while it re-acquires the lock) wakes the next waiter on its way out, so a signal meant
     * for it is never lost; another waiter may then wake with nothing to do, so wait in a loop
     * or with {@link #awaitUntil} (asyncio 3.13 does the same).
     *
     * @throws CancelledException if the task is cancelled while it waits (after re-acquiring the lock)
     * @throws IllegalStateException if the current task does not hold the lock
     */
    public void await() {
        EventLoop l = bind("Condition.await");
        requireOwned("Condition.await");
        Promise<Void> p = waiters.add(l, "Condition.await()", this);
        lock.release();
        Throwable failure = null;
        try {
            SyncSupport.awaitWaiter(p);
        } catch (Throwable e) {
            failure = e;
            waiters.remove(p); // still pending (not signalled); a granted one has left the list already
        }
        // Re-acquire the lock, even when cancelled (once or again while re-acquiring); a
        // cancellation while re-acquiring replaces the first failure (asyncio re-raises the last).
        while (true) {
            try {
                lock.acquire();
                break;
            } catch (CancelledException e) {
                failure = e;
            }
        }
        if (failure != null) {
            // Leaving with an error, maybe after a signal was meant for us: pass one on, as
            // asyncio 3.13 does (a spurious wake-up at worst, which waiters must allow).
            waiters.wakeFirst();
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) failure; // awaitWaiter throws nothing checked
        }
    }

    /**
     * Waits until {@code predicate} is true (asyncio's {@code wait_for}): checks it, and while
     * it is false, {@link #await()}s and checks again. The lock is held when the predicate is
     * evaluated and when this returns.
     *
     * @param predicate the state to wait for; evaluated on the loop thread with the lock held, and must not
     *     suspend
     * @throws IllegalStateException if the current task does not hold the lock
     */
    public void awaitUntil(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        bind("Condition.awaitUntil");
        requireOwned("Condition.awaitUntil");
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /** Wakes the oldest waiter, if any (asyncio's {@code notify()}). */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiters, oldest first (asyncio's {@code notify(n)}).
     *
     * @param n the most waiters to wake; 0 wakes none
     * @throws IllegalStateException if the current task does not hold the lock
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("Condition.signal: n must be >= 0, got " + n);
        }
        bind("Condition.signal");
        requireOwned("Condition.signal");
        waiters.wake(n);
    }

    /** Wakes every waiter (asyncio's {@code notify_all()}). */
    public void signalAll() {
        bind("Condition.signalAll");
        requireOwned("Condition.signalAll");
        waiters.wakeAll();
    }

    /** How many tasks wait for a signal. */
    int waiterCount() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "Condition@" + Integer.toHexString(System.identityHashCode(this)) + " [" + lock + ", waiters:"
                + waiters.size() + "]";
    }

    private void requireOwned(String call) {
        if (!lock.isHeldByCurrentTask()) {
            throw new IllegalStateException(call + ": the condition's lock is not held by "
                    + SyncSupport.who(Async.currentTask()) + ". Acquire it first: try (var held = condition.acquire())"
                    + " { ... }.");
        }
    }

    private EventLoop bind(String call) {
        EventLoop l = SyncSupport.bind(loop, this, call);
        loop = l;
        return l;
    }
}
