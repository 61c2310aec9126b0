package dev.simmer;

/**
 * Thrown by {@link Async#run} when the main task waits and nothing can ever wake it: no
 * task is ready, no timer is set, and no thread-side work ({@link Async#toThread},
 * {@link Async#await(java.util.concurrent.CompletionStage)}) is in flight. The message names
 * each stuck task and where it waits. Before it is thrown, every stuck task is cancelled,
 * so their {@code finally} blocks have run.
 *
 * <pre>{@code
 * Async.run(() -> new Promise<String>().await());   // throws DeadlockException
 * }</pre>
 *
 * Thread-safe (immutable).
 */
public final class DeadlockException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    DeadlockException(String message) {
        super(message);
    }
}
