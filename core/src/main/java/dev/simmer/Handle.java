package dev.simmer;

/**
 * A callback scheduled on the loop by {@link EventLoop#callSoon} or
 * {@link EventLoop#callSoonThreadsafe}: {@link #cancel()} it and it never runs.
 *
 * <pre>{@code
 * Handle h = Async.loop().callSoon(() -> System.out.println("soon"));
 * h.cancel();   // prints nothing
 * }</pre>
 *
 * <p>{@link #cancel()} must be called from the loop thread, except on a handle returned by
 * {@code callSoonThreadsafe}, whose cancel is thread-safe.
 */
public sealed class Handle permits TimerHandle, IoHandle {
    final Runnable callback;
    volatile boolean cancelled;

    Handle(Runnable callback) {
        this.callback = callback;
    }

    /** Cancels the callback; it will not run if it has not run yet. */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Whether {@link #cancel()} was called.
     *
     * @return {@code true} once {@link #cancel()} has been called, even if the callback had already run
     */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Runs the callback unless cancelled. Called by the loop only. */
    void runIfLive() {
        if (!cancelled) {
            callback.run();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + callback + (cancelled ? ", cancelled" : "") + "]";
    }
}
