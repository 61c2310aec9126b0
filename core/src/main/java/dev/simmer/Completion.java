package dev.simmer;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link Promise} and {@link Task} share: a result that arrives once (a value, a
 * failure or a cancellation), tasks waiting for it, and callbacks to run when it arrives
 * (asyncio's {@code Future}).
 *
 * <p>Must be used from the loop thread.
 */
abstract sealed class Completion<T> permits Promise, Task {
    /*
     * Overview: `state` moves once, from PENDING to one of the three ends. On that move,
     * every registered callback is dispatched: a waiting Task is woken (its next step is put
     * on the ready queue), a Runnable is put on the ready queue; either way it runs on the
     * next pass, as asyncio's call_soon would. `callbacks` is null, one entry, or an
     * ArrayList of entries, so the common case (one waiter) allocates nothing extra.
     *
     * A failure that nobody retrieves (await, result, exception, gather, ...) is reported
     * through the loop's exception handler once: when this is garbage collected, or when the
     * loop closes (see UnretrievedFailures).
     */
    // The state, a byte rather than an enum reference: with `retrieved` it fits in the bytes
    // the object header leaves free, which makes a promise and a task 8 bytes smaller.
    static final byte PENDING = 0;
    static final byte SUCCEEDED = 1;
    static final byte FAILED = 2;
    static final byte CANCELLED = 3;
    private static final String[] STATE_NAMES = {"pending", "succeeded", "failed", "cancelled"}; // by state

    final EventLoop loop;
    private byte state = PENDING;
    // By state: PENDING the message of a task's latest cancellation request (see Task.cancel),
    // or null; SUCCEEDED the value; FAILED the Throwable; CANCELLED the CancelledException that
    // ended it when that carries more than a message, else its message (a String, or null).
    // One field for the four, so that a task or a promise is 12 bytes smaller.
    private Object result;
    private boolean retrieved;
    private Object callbacks;

    Completion(EventLoop loop) {
        this.loop = loop;
    }

    /** Whether it has ended: with a value, a failure or a cancellation. */
    public final boolean isDone() {
        return state != PENDING;
    }

    /** Whether it ended cancelled. */
    public final boolean isCancelled() {
        return state == CANCELLED;
    }

    /**
     * Suspends the current task until this has ended, then returns the value, or rethrows
     * the failure unchanged (same instance), or throws {@link CancelledException}. If it
     * has already ended, returns at once without suspending.
     *
     * <p>Cancelling the waiting task cancels what it awaits (as in asyncio); use
     * {@link Async#shield} to wait without passing the cancellation on.
     *
     * @throws IllegalStateException outside a task of this object's loop
     */
    public T await() throws Exception {
        Task<?> current = loop.currentTaskFor("await");
        if (current == this) {
            throw new IllegalStateException("Task '" + current.name() + "' cannot await itself: it would wait forever."
                    + " Await it from another task, or use onDone to react when it ends.");
        }
        if (!isDone()) {
            current.waitFor(this, true);
        }
        return retrieve();
    }

    /**
     * The value, if it ended with one; rethrows the failure unchanged, or throws
     * {@link CancelledException} if it was cancelled.
     *
     * @throws IllegalStateException if it has not ended yet (await it instead)
     */
    public T result() throws Exception {
        requireDone("result");
        return retrieve();
    }

    /**
     * The failure it ended with, or {@code null} if it ended with a value.
     *
     * @throws CancelledException if it was cancelled
     * @throws IllegalStateException if it has not ended yet
     */
    public Throwable exception() {
        requireDone("exception");
        markRetrieved();
        if (state == CANCELLED) {
            throw cancelled();
        }
        return state == FAILED ? (Throwable) result : null;
    }

    /**
     * A {@link CompletableFuture} that completes (on the loop thread) when this ends: with the
     * value, the failure, or a {@link CancelledException}. For code outside the loop.
     * Cancelling the returned future does not cancel this.
     */
    public CompletableFuture<T> toCompletableFuture() {
        loop.checkThread("toCompletableFuture");
        CompletableFuture<T> future = new CompletableFuture<>();
        Runnable copy = () -> {
            markRetrieved();
            switch (state) {
                case SUCCEEDED -> future.complete(value());
                case FAILED -> future.completeExceptionally((Throwable) result);
                default -> future.completeExceptionally(cancelled());
            }
        };
        if (isDone()) {
            copy.run();
        } else {
            addCallback(copy);
        }
        return future;
    }

    // ----- for the kernel and the rest of dev.simmer -----

    /** Outcome as a value, without throwing; marks the failure retrieved. */
    final Outcome<T> outcome() {
        requireDone("outcome");
        markRetrieved();
        return switch (state) {
            case SUCCEEDED -> new Outcome.Success<>(value());
            case FAILED -> new Outcome.Failure<>((Throwable) result);
            default -> new Outcome.Cancelled<>(cancelled());
        };
    }

    /** The failure or cancellation without marking anything; null on success or while pending. */
    final Throwable peekFailure() {
        return state == FAILED ? (Throwable) result : state == CANCELLED ? cancelled() : null;
    }

    /**
     * A fresh CancelledException for whoever looks at this cancelled result. If the task was
     * ended by an exception that carries more (failures attached as suppressed, a cause),
     * that exception is its cause, so nothing it carries is lost.
     */
    private CancelledException cancelled() {
        CancelledException e = new CancelledException(cancelMessage());
        CancelledException cause = carried();
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** The CancelledException that ended it, if that carried failures or a cause; else null. */
    final CancelledException carried() {
        return state == CANCELLED && result instanceof CancelledException e ? e : null;
    }

    /** The cancellation's message: while pending, a task's latest request's; null if none or not cancelled. */
    final String cancelMessage() {
        Object r = result;
        if (state == PENDING || state == CANCELLED) {
            return r instanceof CancelledException e ? e.getMessage() : (String) r;
        }
        return null;
    }

    /** While pending: keeps the message of a task's latest cancellation request. */
    final void keepCancelMessage(String message) {
        assert state == PENDING;
        result = message;
    }

    @SuppressWarnings("unchecked")
    private T value() {
        return (T) result;
    }

    /** Whether {@code t}'s suppressed exceptions or causes hold anything but cancellations. */
    static boolean carriesFailure(Throwable t) {
        return carriesFailure(t, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    private static boolean carriesFailure(Throwable t, java.util.Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        for (Throwable s : t.getSuppressed()) {
            if (!(s instanceof CancelledException) || carriesFailure(s, seen)) {
                return true;
            }
        }
        Throwable cause = t.getCause();
        return cause != null && (!(cause instanceof CancelledException) || carriesFailure(cause, seen));
    }

    final T retrieve() throws Exception {
        markRetrieved();
        return switch (state) {
            case SUCCEEDED -> value();
            case FAILED -> throw rethrowable((Throwable) result);
            case CANCELLED -> throw cancelled();
            default -> throw new IllegalStateException("Simmer retrieved a pending result; please report");
        };
    }

    final boolean isRetrieved() {
        return retrieved;
    }

    final void markRetrieved() {
        if (!retrieved) {
            retrieved = true;
            if (state == FAILED || carried() != null) {
                loop.forgetUnretrieved(this);
            }
        }
    }

    final boolean complete0(T v) {
        if (isDone()) {
            return false;
        }
        result = v;
        finish(SUCCEEDED);
        return true;
    }

    final boolean fail0(Throwable e) {
        if (isDone()) {
            return false;
        }
        result = java.util.Objects.requireNonNull(e, "exception");
        finish(FAILED);
        if (!retrieved) {
            loop.rememberUnretrieved(this);
        }
        return true;
    }

    final boolean cancel0(String message) {
        if (isDone()) {
            return false;
        }
        result = message;
        finish(CANCELLED);
        return true;
    }

    /**
     * Ends it cancelled by {@code e}, keeping {@code e} if it carries failures (suppressed, or
     * as a cause); such a cancellation is reported at close if nobody retrieves it, like a failure.
     */
    final boolean cancel0(CancelledException e) {
        if (isDone()) {
            return false;
        }
        boolean carries = carriesFailure(e);
        result = carries ? e : e.getMessage();
        finish(CANCELLED);
        if (carries && !retrieved) {
            loop.rememberUnretrieved(this);
        }
        return true;
    }

    private void finish(byte end) {
        state = end;
        Object cbs = callbacks;
        callbacks = null;
        if (cbs instanceof ArrayList<?> list) {
            for (Object cb : list) {
                dispatch(cb);
            }
        } else if (cbs != null) {
            dispatch(cbs);
        }
        onFinished();
    }

    /**
     * A task waiting on this was cancelled and asks to pass the cancellation on (asyncio
     * cancels what a cancelled task awaits). Returns whether this is, or will be, cancelled.
     */
    abstract boolean cancelRequested(String message);

    /** Hook for subclasses, after the callbacks were dispatched. */
    void onFinished() {
    }

    private void dispatch(Object cb) {
        if (cb instanceof Task<?> waiter) {
            waiter.wake();
        } else {
            loop.schedule(cb);
        }
    }

    /** Registers a task to be woken when this ends. Pending only. */
    final void addWaiter(Task<?> waiter) {
        addEntry(waiter);
    }

    /** Unregisters a waiting task (its wait was aborted). */
    final void removeWaiter(Task<?> waiter) {
        removeEntry(waiter);
    }

    /** Unregisters a callback added with {@link #addCallback} that is no longer wanted. */
    final void removeCallback(Runnable callback) {
        removeEntry(callback);
    }

    /** How many waiters and callbacks are registered (for tests). */
    final int callbackCount() {
        return callbacks == null ? 0 : callbacks instanceof ArrayList<?> list ? list.size() : 1;
    }

    private void removeEntry(Object entry) {
        if (callbacks == entry) {
            callbacks = null;
        } else if (callbacks instanceof ArrayList<?> list) {
            list.remove(entry);
        }
    }

    /** Runs {@code callback} on the loop once this has ended (on the next pass if it already has). */
    final void addCallback(Runnable callback) {
        if (isDone()) {
            loop.schedule(callback);
        } else {
            addEntry(callback);
        }
    }

    @SuppressWarnings("unchecked")
    private void addEntry(Object entry) {
        Object cbs = callbacks;
        if (cbs == null) {
            callbacks = entry;
        } else if (cbs instanceof ArrayList<?> list) {
            ((ArrayList<Object>) list).add(entry);
        } else {
            ArrayList<Object> list = new ArrayList<>(4);
            list.add(cbs);
            list.add(entry);
            callbacks = list;
        }
    }

    private void requireDone(String what) {
        if (!isDone()) {
            throw new IllegalStateException(this + " has not ended yet, so " + what
                    + "() has nothing to give: await it first (or check isDone()).");
        }
    }

    final String stateName() {
        return STATE_NAMES[state];
    }

    /** {@code t} as something a method declared {@code throws Exception} can throw unchanged. */
    static Exception rethrowable(Throwable t) {
        if (t instanceof Exception e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new UndeclaredThrowableException(t);
    }
}
