package dev.simmer.sync;

/**
 * What {@link Lock#acquire()}, {@link Semaphore#acquire()} and {@link Condition#acquire()}
 * return: closing it releases what was acquired, so try-with-resources is the
 * {@code async with lock:} of asyncio.
 *
 * <pre>{@code
 * try (var held = lock.acquire()) {
 *     ... // only this task is here
 * }
 * }</pre>
 *
 * <p>{@link #close()} releases at most once; a second close does nothing. Must be called
 * from the loop thread (for a lock, from the task that holds it).
 */
public final class Held implements AutoCloseable {
    private Runnable release;

    Held(Runnable release) {
        this.release = release;
    }

    /** Releases what was acquired, the first time it is called. */
    @Override
    public void close() {
        Runnable r = release;
        if (r != null) {
            release = null;
            r.run();
        }
    }

    /**
     * Whether {@link #close()} has not been called yet.
     *
     * @return {@code true} until the first {@code close()}
     */
    public boolean isHeld() {
        return release != null;
    }
}
