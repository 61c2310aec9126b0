package dev.simmer;

/**
 * The body of a coroutine that returns a value: it runs inside a task and may suspend at
 * {@link Async#sleep}, {@link Task#await()} and every other waiting call.
 *
 * <pre>{@code
 * AsyncCallable<String> fetchData = () -> {
 *     Async.sleep(Duration.ofSeconds(2));
 *     return "Here's your data!";
 * };
 * String data = Async.run(fetchData);
 * }</pre>
 *
 * <p>Like a coroutine object in Python, a body does nothing until something runs it
 * ({@link Async#run}, {@link Async#createTask}, {@link Async#gather}), or until another
 * body calls it directly, which runs it inline in the caller's task (Python's
 * {@code await coro()}).
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface AsyncCallable<T> {
    /**
     * Runs the body. May suspend when called from inside a task.
     *
     * @return the body's result; it becomes the task's result
     * @throws Exception any failure of the body; it becomes the task's failure
     */
    T call() throws Exception;
}
