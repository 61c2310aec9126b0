package dev.simmer;

/**
 * How a task ended: with a value, a failure, or a cancellation. Returned by
 * {@link Async#gatherSettled} (asyncio's {@code gather(..., return_exceptions=True)}).
 *
 * <pre>{@code
 * for (Outcome<String> o : Async.gatherSettled(List.of(a, b))) {
 *     switch (o) {
 *         case Outcome.Success<String> s -> System.out.println("got " + s.value());
 *         case Outcome.Failure<String> f -> System.out.println("failed: " + f.exception());
 *         case Outcome.Cancelled<String> c -> System.out.println("cancelled");
 *     }
 * }
 * }</pre>
 *
 * @param <T> the value type. Thread-safe (immutable).
 */
public sealed interface Outcome<T> {

    /**
     * The value if this is a {@link Success}; otherwise rethrows the failure or cancellation unchanged.
     *
     * @return the task's value, for a {@link Success}
     * @throws Exception the failure of a {@link Failure}, or the {@link CancelledException} of a
     *     {@link Cancelled}
     */
    T getOrThrow() throws Exception;

    /**
     * Whether this is a {@link Success}.
     *
     * @return {@code true} for a {@link Success}, {@code false} for a failure or a cancellation
     */
    default boolean isSuccess() {
        return this instanceof Success;
    }

    /**
     * The task returned {@code value}.
     *
     * @param <T> the value type
     * @param value what the task returned; may be {@code null}
     */
    record Success<T>(T value) implements Outcome<T> {
        @Override
        public T getOrThrow() {
            return value;
        }
    }

    /**
     * The task failed with {@code exception}.
     *
     * @param <T> the value type the task would have returned
     * @param exception what the task threw; never {@code null}
     */
    record Failure<T>(Throwable exception) implements Outcome<T> {
        /**
         * Checks the exception.
         *
         * @param exception what the task threw; not {@code null}
         */
        public Failure {
            java.util.Objects.requireNonNull(exception, "exception");
        }

        @Override
        public T getOrThrow() throws Exception {
            throw Completion.rethrowable(exception);
        }
    }

    /**
     * The task was cancelled; {@code exception} says so (and carries the message, if any).
     *
     * @param <T> the value type the task would have returned
     * @param exception the cancellation the task ended with
     */
    record Cancelled<T>(CancelledException exception) implements Outcome<T> {
        @Override
        public T getOrThrow() {
            throw exception;
        }
    }
}
