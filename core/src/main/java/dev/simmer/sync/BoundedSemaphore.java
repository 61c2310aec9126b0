package dev.simmer.sync;

/**
 * A {@link Semaphore} that refuses to be released more often than it was acquired (asyncio's
 * {@code BoundedSemaphore}): a {@link #release()} while all the initial permits are free is
 * an {@link IllegalStateException} (asyncio raises {@code ValueError}), which catches a
 * double release early.
 *
 * <pre>{@code
 * BoundedSemaphore pool = new BoundedSemaphore(2);
 * try (var permit = pool.acquire()) { ... }
 * pool.release();   // IllegalStateException: released more often than acquired
 * }</pre>
 *
 * <p>Must be called from the loop thread.
 */
public final class BoundedSemaphore extends Semaphore {
    /**
     * A bounded semaphore with {@code permits} free permits, which is also its maximum.
     *
     * @param permits the number of permits at the start and the most there may be, zero or more
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public BoundedSemaphore(int permits) {
        super(permits, true);
    }
}
