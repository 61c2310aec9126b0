package dev.simmer;

/**
 * The body of a coroutine with no result.
 *
 * <pre>{@code
 * Async.run(() -> {
 *     System.out.println("Hello!");
 *     Async.sleep(Duration.ofSeconds(1));
 *     System.out.println("World!");
 * });
 * }</pre>
 */
@FunctionalInterface
public interface AsyncRunnable {
    /**
     * Runs the body. May suspend when called from inside a task.
     *
     * @throws Exception any failure of the body; it becomes the task's failure
     */
    void run() throws Exception;

    /**
     * This body as an {@link AsyncCallable} returning {@code null}.
     *
     * @return a callable that runs this body and returns {@code null}
     */
    default AsyncCallable<Void> asCallable() {
        return () -> {
            run();
            return null;
        };
    }
}
