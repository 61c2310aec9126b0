package dev.simmer;

import java.util.concurrent.CancellationException;

/**
 * Thrown at a suspension point of a task that was {@linkplain Task#cancel() cancelled}, and
 * by {@link Task#await()} of a task that ended cancelled (asyncio's {@code CancelledError}).
 *
 * <pre>{@code
 * try {
 *     Async.sleep(Duration.ofHours(1));
 * } catch (CancelledException e) {
 *     cleanUp();   // may still suspend
 *     throw e;     // let the cancellation finish the task
 * }
 * }</pre>
 *
 * <p>Catching it and not rethrowing keeps the task running: that is allowed, as in
 * asyncio, but then call {@link Task#uncancel()} so timeouts and groups stay consistent.
 * Thread-safe (immutable once thrown).
 */
public class CancelledException extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** A cancellation without a message. */
    public CancelledException() {
        super();
    }

    /**
     * A cancellation carrying the message given to {@link Task#cancel(String)}.
     *
     * @param message the reason for the cancellation, or {@code null} for none
     */
    public CancelledException(String message) {
        super(message);
    }
}
