package dev.simmer.sync;

import dev.simmer.CancelledException;
import dev.simmer.EventLoop;
import dev.simmer.Promise;

/**
 * A flag that tasks can wait for (asyncio's {@code Event}): {@link #set()} wakes every
 * waiting task, and later {@link #await()} calls return at once until {@link #clear()}.
 *
 * <pre>{@code
 * Event ready = new Event();
 * Async.createTask(() -> { ready.await(); System.out.println("go"); return null; });
 * ...
 * ready.set();   // the waiter prints "go" on the next pass
 * }</pre>
 *
 * <p>Waiting is {@code await()} and waking is {@code set()}: {@code Object.wait/notify} are
 * final and would block the loop thread. A waiter cancelled after {@code set()} woke it but
 * before it ran gets its {@link CancelledException}; the event stays set and the other
 * waiters are not affected.
 *
 * <p>Must be called from the loop thread ({@code set} from a callback is fine). Bound to the
 * loop that first uses it; use from another loop is an {@link IllegalStateException}.
 */
public final class Event {
    private final SyncSupport.WaitList waiters = new SyncSupport.WaitList();
    private EventLoop loop;
    private boolean set;

    /** An event that is not set. */
    public Event() {
    }

    /** Sets the flag and wakes every waiting task (they run on the next pass). */
    public void set() {
        bind("Event.set");
        if (!set) {
            set = true;
            waiters.wakeAll();
        }
    }

    /** Clears the flag: later {@link #await()} calls wait for the next {@link #set()}. */
    public void clear() {
        bind("Event.clear");
        set = false;
    }

    /**
     * Whether the flag is set.
     *
     * @return {@code true} between a {@link #set()} and the next {@link #clear()}
     */
    public boolean isSet() {
        bind("Event.isSet");
        return set;
    }

    /**
     * Returns at once if the flag is set, else suspends until {@link #set()} is called.
     *
     * @throws CancelledException if the task is cancelled while it waits
     * @throws IllegalStateException from a plain callback, or from another loop than the event's
     */
    public void await() {
        EventLoop l = bind("Event.await");
        SyncSupport.requireTask("Event.await");
        if (set) {
            return;
        }
        Promise<Void> p = waiters.add(l, "Event.await()", this);
        try {
            SyncSupport.awaitWaiter(p);
        } catch (Throwable e) {
            waiters.remove(p); // nothing to hand on: set() wakes everyone
            throw e;
        }
    }

    /** How many tasks wait. */
    int waiterCount() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return "Event@" + Integer.toHexString(System.identityHashCode(this)) + " [" + (set ? "set" : "unset")
                + ", waiters:" + waiters.size() + "]";
    }

    private EventLoop bind(String call) {
        EventLoop l = SyncSupport.bind(loop, this, call);
        loop = l;
        return l;
    }
}
