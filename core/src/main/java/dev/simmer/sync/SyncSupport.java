package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.EventLoop;
import dev.simmer.Promise;
import dev.simmer.Task;
import dev.simmer.internal.Parking;
import dev.simmer.internal.WaitLabels;

import java.util.ArrayDeque;

/**
 * What the primitives of this package share: binding to a loop, waiting on a waiter
 * promise, and a FIFO list of waiters. Package-private; must be called from the loop thread.
 */
final class SyncSupport {
    /** How a primitive parks a waiting task without a Promise (internal.Parking). */
    static final Parking.Kernel KERNEL = Parking.kernel();

    private SyncSupport() {
    }

    /**
     * The running loop, checked against {@code bound} (the loop the primitive first ran on,
     * or null if it has not run yet).
     *
     * @throws IllegalStateException outside a running loop, or on another loop than {@code bound}
     */
    static EventLoop bind(EventLoop bound, Object primitive, String call) {
        if (bound != null && bound.inLoopThread()) {
            return bound; // the fast path's usual case: no ThreadLocal look-up needed
        }
        EventLoop here;
        try {
            here = Async.loop();
        } catch (IllegalStateException e) {
            call = qualified(primitive, call);
            throw new IllegalStateException(call + " must be called from the thread of a running event loop (inside"
                    + " Async.run); from another thread, hand the work to the loop with loop.submit(...) (or LoopThread.submit), or"
                    + " a plain callback with loop.callSoonThreadsafe(...).",
                    e);
        }
        if (bound != null && bound != here) {
            throw new IllegalStateException(qualified(primitive, call) + ": " + primitive + " belongs to another event loop (a primitive is"
                    + " bound to the loop that first uses it). Create one per loop, hand the work to the owning"
                    + " loop with its submit(...), or use a dev.simmer.sync.Channel between loops.");
        }
        return here;
    }

    /** A queue's call named after its class ("LifoQueue.put"), only when an error needs it; others name theirs. */
    private static String qualified(Object primitive, String call) {
        return primitive instanceof Queue<?> q ? q.name(call) : call;
    }

    /**
     * The task running on {@code loop}, which the caller is bound to (no ThreadLocal look-up);
     * a clear error from a plain callback, since the call suspends.
     */
    static Task<?> requireTask(EventLoop loop, Object primitive, String call) {
        Task<?> t = KERNEL.currentTask(loop);
        return t != null ? t : requireTask(qualified(primitive, call)); // the name is built on the error path only
    }

    /** The current task; a clear error from a plain callback, since the call suspends. */
    static Task<?> requireTask(String call) {
        Task<?> t = Async.currentTask();
        if (t == null) {
            throw new IllegalStateException(call + " may suspend, so it must be called from inside a task, not from"
                    + " a plain callback: wrap the code in Async.createTask(...).");
        }
        return t;
    }

    /**
     * Suspends until {@code waiter} ends. Throws {@link CancelledException} if the task is
     * cancelled (the promise may have been completed just before: the caller checks it).
     * Our waiter promises never fail, so nothing checked comes out.
     */
    static void awaitWaiter(Promise<Void> waiter) {
        try {
            waiter.await();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("internal error in dev.simmer.sync, please report: a waiter failed", e);
        }
    }

    /** The name of the task running now, for error messages. */
    static String who(Task<?> task) {
        return task == null ? "a plain callback" : "task '" + task.name() + "'";
    }

    /**
     * A FIFO list of pending waiter promises. A waiter that is granted is removed at once
     * (by {@link #wakeFirst}/{@link #wakeAll}); one that gives up removes itself.
     */
    static final class WaitList {
        private final ArrayDeque<Promise<Void>> waiters = new ArrayDeque<>();
        private WaitLabels.Label label; // what task dumps say of a waiter; made at the first wait

        /** A new waiter, last in line; {@code what} and {@code on} say what it waits in, for task dumps (see WaitLabels). */
        Promise<Void> add(EventLoop loop, String what, Object on) {
            WaitLabels.Label l = label;
            if (l == null) {
                label = l = WaitLabels.of(what, on);
            }
            Promise<Void> p = WaitLabels.label(loop.createPromise(), l);
            waiters.add(p);
            return p;
        }

        void remove(Promise<Void> p) {
            waiters.remove(p);
        }

        boolean isEmpty() {
            return waiters.isEmpty();
        }

        int size() {
            return waiters.size();
        }

        /** Grants the oldest pending waiter; false if there was none. */
        boolean wakeFirst() {
            Promise<Void> p;
            while ((p = waiters.poll()) != null) {
                if (p.complete(null)) {
                    return true;
                }
            }
            return false;
        }

        /** Grants up to {@code n} waiters, oldest first; returns how many. */
        int wake(int n) {
            int woken = 0;
            while (woken < n && wakeFirst()) {
                woken++;
            }
            return woken;
        }

        void wakeAll() {
            wake(Integer.MAX_VALUE);
        }
    }
}
