package dev.simmer;

/**
 * When {@link Async#wait(java.util.Collection, WaitMode)} returns (asyncio's
 * {@code return_when}).
 *
 * <pre>{@code
 * WaitResult r = Async.wait(tasks, WaitMode.FIRST_COMPLETED);
 * }</pre>
 *
 * Thread-safe (an enum).
 */
public enum WaitMode {
    /** As soon as any task has ended, however it ended. */
    FIRST_COMPLETED,
    /**
     * As soon as any task has failed (a cancellation is not a failure), or when all have
     * ended, whichever comes first.
     */
    FIRST_EXCEPTION,
    /** When every task has ended. */
    ALL_COMPLETED
}
