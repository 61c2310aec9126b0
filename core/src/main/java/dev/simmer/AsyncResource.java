package dev.simmer;

import java.util.Objects;

/**
 * A value with an asynchronous opening and closing, for try-with-resources (Python's
 * {@code async with}, and what {@code @asynccontextmanager} builds). The setup runs, and may
 * suspend, in {@link #of}; the teardown runs, and may suspend, in {@link #close()}.
 *
 * <pre>{@code
 * // Python:  async with open_connection() as conn: print(f"Using {conn}")
 * try (var conn = AsyncResource.of(() -> {
 *          System.out.println("Opening...");
 *          Async.sleep(Duration.ofSeconds(1));
 *          return "connection";
 *      }, c -> System.out.println("Closing..."))) {
 *     System.out.println("Using " + conn.get());
 * }
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 *   <li>If the setup fails (or is cancelled), there is nothing to close: the exception
 *       propagates and the teardown never runs.
 *   <li>Once {@code of} has returned, try-with-resources calls {@code close()} however the
 *       block ends: normally, with an exception, or cancelled. The teardown runs at most once.
 *   <li>After a cancellation has reached the task (the {@link CancelledException} is on its
 *       way out of the block), the teardown may still suspend: each of its waits works and
 *       the task then ends cancelled, as in asyncio.
 *   <li>A further cancellation that arrives <em>while</em> the teardown waits is delivered
 *       there, as in asyncio: that wait throws {@link CancelledException}, and the teardown
 *       is not run again. Write a teardown that must not be cut short with its own
 *       {@code finally}.
 *   <li>The teardown runs inline in the task that closes the resource, so it may close
 *       things that belong to that task (a {@link TaskGroup}, another resource).
 * </ul>
 * A teardown failure is thrown by {@code close()}; in try-with-resources, when the block
 * itself failed, Java keeps the block's exception and attaches the teardown's as suppressed.
 *
 * <p>Must be called from the loop thread; {@link #of} and {@link #close()} from inside a task
 * when the setup or teardown suspends.
 *
 * @param <T> the type of the value
 */
public final class AsyncResource<T> implements AutoCloseable {

    /** Closes the value of an {@link AsyncResource}; may suspend (Python's {@code __aexit__}). */
    @FunctionalInterface
    public interface Teardown<T> {
        void close(T value) throws Exception;
    }

    private final EventLoop loop;
    private final T value;
    private Teardown<? super T> teardown; // null once close() has started

    private AsyncResource(EventLoop loop, T value, Teardown<? super T> teardown) {
        this.loop = loop;
        this.value = value;
        this.teardown = teardown;
    }

    /**
     * Runs {@code setup} (it may suspend) and returns the resource holding its value, to be
     * closed by {@code teardown}. If {@code setup} throws, the exception propagates unchanged
     * and nothing is left to close.
     *
     * <pre>{@code
     * try (var db = AsyncResource.of(() -> Database.connect(url), Database::disconnect)) {
     *     db.get().query("select 1");
     * }
     * }</pre>
     *
     * @throws IllegalStateException outside a running loop
     */
    public static <T> AsyncResource<T> of(AsyncCallable<? extends T> setup, Teardown<? super T> teardown)
            throws Exception {
        EventLoop loop = EventLoop.runningLoop("AsyncResource.of");
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(teardown, "teardown");
        T value = setup.call();
        return new AsyncResource<>(loop, value, teardown);
    }

    /** The value the setup returned (still there after {@code close()}, as Python's {@code as} name). */
    public T get() {
        return value;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return teardown == null;
    }

    /**
     * Runs the teardown, the first time only; it may suspend. A failure of the teardown is
     * rethrown unchanged; the resource counts as closed all the same.
     */
    @Override
    public void close() throws Exception {
        loop.checkThread("AsyncResource.close");
        Teardown<? super T> t = teardown;
        if (t == null) {
            return;
        }
        teardown = null;
        t.close(value);
    }

    @Override
    public String toString() {
        return "AsyncResource[" + value + (isClosed() ? ", closed]" : "]");
    }
}
