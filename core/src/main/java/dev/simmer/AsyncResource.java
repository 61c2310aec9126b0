package dev.simmer;

import java.util.List;
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
 *       is not run again. A teardown that must run to its end is wrapped in
 *       {@link #shielded(Teardown)}: the cancellation then waits until it has finished.
 *   <li>The teardown runs inline in the task that closes the resource, so it may close
 *       things that belong to that task (a {@link TaskGroup}, a held {@code Lock}, another
 *       resource); a {@linkplain #shielded(Teardown) shielded} one runs in a helper task.
 * </ul>
 * A teardown failure is thrown by {@code close()}; in try-with-resources, when the block
 * itself failed, Java keeps the block's exception and attaches the teardown's as suppressed.
 * {@code close()} declares no checked exception (so {@code -Xlint:try} has nothing to say
 * about it): a checked failure of the teardown is rethrown unchanged and undeclared, as
 * {@link AsyncIterator} does. {@link #of} declares {@code throws Exception}, so a
 * {@code catch} of the checked type around the statement compiles and catches it.
 *
 * <p>A teardown that must know how the block ended (Python's {@code __aexit__} receives the
 * exception: commit or roll back) cannot be a {@code close()}, which Java calls without it;
 * {@link #with} runs a block between a setup and such an {@link Exit}.
 *
 * <p>Must be called from the loop thread; {@link #of} and {@link #close()} from inside a task
 * when the setup or teardown suspends.
 *
 * @param <T> the type of the value
 */
public final class AsyncResource<T> implements AutoCloseable {

    /**
     * Closes the value of an {@link AsyncResource}; may suspend (Python's {@code __aexit__}).
     *
     * @param <T> the type of the value it closes
     */
    @FunctionalInterface
    public interface Teardown<T> {
        /**
         * Closes {@code value}.
         *
         * @param value what the setup returned
         * @throws Exception a failure to close; {@code close()} rethrows it unchanged
         */
        void close(T value) throws Exception;
    }

    /**
     * Closes the value of a resource knowing how the block ended (Python's
     * {@code __aexit__(exc_type, exc, tb)}); may suspend. See {@link AsyncResource#with}.
     *
     * @param <T> the type of the value it closes
     */
    @FunctionalInterface
    public interface Exit<T> {
        /**
         * Closes {@code value}.
         *
         * @param failure what the block threw (a {@link CancelledException} if the task was
         *                cancelled), or {@code null} if it ended normally; it propagates after
         *                the exit in any case (an exit cannot swallow it)
         * @param value what the setup returned
         * @throws Exception a failure to close; attached as suppressed to the block's failure, or thrown if
         *     the block succeeded
         */
        void close(T value, Throwable failure) throws Exception;
    }

    /**
     * The block run with a resource's value by {@link AsyncResource#with}; may suspend.
     *
     * @param <T> the type of the resource's value
     * @param <R> the type of the block's result
     */
    @FunctionalInterface
    public interface Block<T, R> {
        /**
         * Uses the resource.
         *
         * @param value what the setup returned, still open
         * @return the result {@link AsyncResource#with} returns
         * @throws Exception any failure; it reaches the {@link Exit} and then the caller
         */
        R run(T value) throws Exception;
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
     * @param <T> the type of the value
     * @param setup opens the value; runs now, in the calling task, and may suspend
     * @param teardown closes the value when {@link #close()} is called; not run if {@code setup} fails
     * @return the open resource; use it in try-with-resources
     * @throws IllegalStateException outside a running loop
     * @throws Exception whatever {@code setup} threw, unchanged
     */
    public static <T> AsyncResource<T> of(AsyncCallable<? extends T> setup, Teardown<? super T> teardown)
            throws Exception {
        EventLoop loop = EventLoop.runningLoop("AsyncResource.of");
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(teardown, "teardown");
        T value = setup.call();
        return new AsyncResource<>(loop, value, teardown);
    }

    /**
     * Runs {@code setup}, then {@code block} with its value, then {@code exit} with the value
     * and what the block threw (or {@code null}); returns the block's result. The form of
     * {@code async with} whose {@code __aexit__} looks at the exception, which
     * try-with-resources cannot give a {@code close()}.
     *
     * <pre>{@code
     * // Python: async with transaction(db) as tx: tx.insert(row)   # commit, or rollback on error
     * int rows = AsyncResource.with(db::begin, (tx, failure) -> {
     *     if (failure == null) tx.commit(); else tx.rollback();
     * }, tx -> tx.insert(row));
     * }</pre>
     *
     * <p>As in try-with-resources: a failing {@code setup} runs neither; the exit runs however
     * the block ends (it may suspend, also after a cancellation); when the block failed, its
     * exception is rethrown unchanged with the exit's failure, if any, attached as suppressed;
     * when the block succeeded, the exit's failure is thrown. Wrap the exit in
     * {@link #shielded(Exit)} if a cancellation must not cut it short.
     *
     * @param <T> the type of the value
     * @param <R> the type of the block's result
     * @param setup opens the value; runs in the calling task and may suspend
     * @param exit closes the value, told what the block threw; runs however the block ends
     * @param block uses the value
     * @return what {@code block} returned
     * @throws IllegalStateException outside a running loop
     * @throws Exception the block's failure (with the exit's attached as suppressed), else the exit's or the
     *     setup's
     */
    public static <T, R> R with(AsyncCallable<? extends T> setup, Exit<? super T> exit,
            Block<? super T, ? extends R> block) throws Exception {
        EventLoop.runningLoop("AsyncResource.with");
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(exit, "exit");
        Objects.requireNonNull(block, "block");
        T value = setup.call();
        R result;
        try {
            result = block.run(value);
        } catch (Throwable failure) {
            try {
                exit.close(value, failure);
            } catch (Throwable e) {
                if (e != failure) {
                    failure.addSuppressed(e);
                }
            }
            throw AsyncGenerator.sneakyThrow(failure);
        }
        exit.close(value, null);
        return result;
    }

    /**
     * {@code teardown}, made to run to its end even if the closing task is cancelled meanwhile
     * (Trio's shielded cancel scope, kotlinx's {@code NonCancellable}): for the flush, commit
     * or goodbye message that must not be cut short.
     *
     * <pre>{@code
     * try (var conn = AsyncResource.of(() -> connect(host), AsyncResource.shielded(Connection::close))) {
     *     ...
     * }   // close() finishes even if the task is cancelled while it waits
     * }</pre>
     *
     * <p>How: the teardown runs in a helper task (named {@code "<task>/teardown"}, seeing the
     * task's {@link ContextVar} values), and the closing task waits until it has ended,
     * whatever happens to it meanwhile. A cancellation that reaches the closing task during
     * that wait does not reach the teardown; it is thrown, as {@link CancelledException}, once
     * the teardown is done (with the teardown's failure, if any, attached as suppressed). So
     * the task still ends cancelled, only later. Unlike {@link Async#shield}, which stops
     * waiting at once and leaves the shielded task running, nothing is left behind.
     *
     * <p>Inside the teardown, timeouts work as usual ({@code Async.timeout(d, ...)} bounds a
     * teardown that might hang: a shielded wait that never ends would keep the task from ever
     * ending). Because it runs in another task, it cannot release what the closing task
     * owns, such as a held {@code Lock}; release that outside the shielded part. When the loop
     * shuts down it cancels the helper like every other task.
     *
     * @param <T> the type of the value it closes
     * @param teardown the teardown to protect from cancellation
     * @return a teardown that runs {@code teardown} in a helper task and waits for it to end
     */
    public static <T> Teardown<T> shielded(Teardown<T> teardown) {
        Objects.requireNonNull(teardown, "teardown");
        return value -> runShielded(() -> teardown.close(value));
    }

    /**
     * {@link #shielded(Teardown)} for an {@link Exit}: it runs to its end even if the task is cancelled meanwhile.
     *
     * @param <T> the type of the value it closes
     * @param exit the exit to protect from cancellation
     * @return an exit that runs {@code exit} in a helper task and waits for it to end
     */
    public static <T> Exit<T> shielded(Exit<T> exit) {
        Objects.requireNonNull(exit, "exit");
        return (value, failure) -> runShielded(() -> exit.close(value, failure));
    }

    /** Runs {@code body} in a helper task and waits until it has ended, whatever happens to this task meanwhile. */
    private static void runShielded(AsyncRunnable body) throws Exception {
        EventLoop loop = EventLoop.runningLoop("AsyncResource.shielded");
        Task<?> me = loop.requireTask("a shielded teardown");
        Task<Void> helper = loop.createTask(body.asCallable(), me.name() + "/teardown");
        CancelledException cancelled = Gather.awaitEnds(me, List.of(helper));
        if (cancelled == null) {
            helper.retrieve(); // its failure, or its cancellation (the loop is shutting down)
            return;
        }
        Gather.attachFailure(helper, cancelled); // the teardown's failure is not lost
        helper.markRetrieved();
        throw cancelled;
    }

    /**
     * The value the setup returned (still there after {@code close()}, as Python's {@code as} name).
     *
     * @return the value, as {@code setup} returned it; may be {@code null} if setup returned {@code null}
     */
    public T get() {
        return value;
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return {@code true} once {@code close()} has started, even if the teardown failed
     */
    public boolean isClosed() {
        return teardown == null;
    }

    /**
     * Runs the teardown, the first time only; it may suspend. A failure of the teardown is
     * rethrown unchanged (undeclared if it is checked); the resource counts as closed all the
     * same.
     */
    @Override
    public void close() {
        loop.checkThread("AsyncResource.close");
        Teardown<? super T> t = teardown;
        if (t == null) {
            return;
        }
        teardown = null;
        try {
            t.close(value);
        } catch (Exception e) {
            throw AsyncGenerator.sneakyThrow(e);
        }
    }

    @Override
    public String toString() {
        return "AsyncResource[" + value + (isClosed() ? ", closed]" : "]");
    }
}
