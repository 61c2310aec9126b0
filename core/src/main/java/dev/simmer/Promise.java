package dev.simmer;

import dev.simmer.internal.WaitLabels;

import java.util.function.Consumer;

/**
 * A result that some code will supply later and tasks can await (asyncio's {@code Future}).
 * The bridge between callbacks and coroutines: a callback completes it, a task awaits it.
 *
 * <pre>{@code
 * Promise<String> answer = new Promise<>();
 * Async.loop().callLater(Duration.ofSeconds(1), () -> answer.complete("42"));
 * String value = answer.await();   // suspends for a second
 * }</pre>
 *
 * <p>It ends once: {@link #complete}, {@link #fail} and {@link #cancel()} return
 * {@code false} if it already has. Cancelling a task that awaits a promise cancels the
 * promise. A failure that nobody retrieves is reported when the loop closes.
 *
 * <p>Must be used from the loop thread. From another thread, complete it through
 * {@link EventLoop#callSoonThreadsafe}.
 *
 * @param <T> the value type
 */
public final class Promise<T> extends Completion<T> {
    static {
        WaitLabels.install((promise, label) -> ((Promise<?>) promise).extra = label);
    }

    // One field for two uses that never meet, so that a promise stays as small as before:
    // gather's cancel hook (a Runnable, see onCancelRequest), or the WaitLabels.Label of a
    // waiter promise of dev.simmer.sync, Async.toThread or Async.await (what dumps show).
    private Object extra;

    /**
     * A pending promise on the current loop.
     *
     * @throws IllegalStateException outside a running loop
     */
    public Promise() {
        this(EventLoop.runningLoop("new Promise()"));
    }

    Promise(EventLoop loop) {
        super(loop);
    }

    /**
     * Ends it with {@code value}, waking its waiters. Returns false if it had already ended.
     *
     * @param value the result each waiter gets; may be {@code null}
     * @return {@code true} if this call ended the promise, {@code false} if it had already ended (nothing
     *     changes)
     */
    public boolean complete(T value) {
        loop.checkThread("Promise.complete");
        return complete0(value);
    }

    /**
     * Ends it with a failure, rethrown unchanged to each waiter. Returns false if it had already ended.
     *
     * @param exception what each waiter's {@code await} throws; not {@code null}
     * @return {@code true} if this call ended the promise, {@code false} if it had already ended
     */
    public boolean fail(Throwable exception) {
        loop.checkThread("Promise.fail");
        return fail0(exception);
    }

    /**
     * Ends it cancelled; waiters get a {@link CancelledException}. Returns false if it had already ended.
     *
     * @return {@code true} if this call ended the promise, {@code false} if it had already ended
     */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Ends it cancelled with a message for the {@link CancelledException}. Returns false if it had already ended.
     *
     * @param message the cancellation's message, or {@code null} for none
     * @return {@code true} if this call ended the promise, {@code false} if it had already ended
     */
    public boolean cancel(String message) {
        loop.checkThread("Promise.cancel");
        return cancel0(message);
    }

    /**
     * Runs {@code callback} on the loop once it has ended (next pass if it already has).
     *
     * @param callback called once, on the loop thread, with this promise; it must not suspend
     */
    public void onDone(Consumer<? super Promise<T>> callback) {
        loop.checkThread("Promise.onDone");
        addCallback(() -> callback.accept(this));
    }

    /**
     * Runs {@code hook} at once, inside the request, when a task waiting on this promise is
     * cancelled and passes the cancellation on (before the promise ends cancelled). For
     * promises that stand for other work, such as gather's children. A hook that is also a
     * {@link WaitLabels.Label} labels the promise too (the two share one field).
     */
    void onCancelRequest(Runnable hook) {
        this.extra = hook;
    }

    /** Says what a task waiting on this promise is doing, for dumps (see WaitLabels). */
    Promise<T> label(WaitLabels.Label label) {
        this.extra = label;
        return this;
    }

    /** What a task waiting on this promise is doing, for dumps: "awaiting ...". */
    String describeWait() {
        return "awaiting " + (extra instanceof WaitLabels.Label label ? label.describe(this) : toString());
    }

    @Override
    boolean cancelRequested(String message) {
        if (isDone()) {
            return false;
        }
        if (extra instanceof Runnable hook) {
            extra = null;
            hook.run();
        }
        return cancel0(message);
    }

    @Override
    public String toString() {
        return "Promise@" + Integer.toHexString(System.identityHashCode(this)) + " (" + stateName() + ")";
    }
}
