package dev.simmer;

import java.util.Objects;

/**
 * Something a task can loop over with the enhanced {@code for} statement, where getting each
 * element may suspend (asyncio's asynchronous iterable, {@code async for}).
 *
 * <pre>{@code
 * AsyncIterable<Integer> countdown = AsyncIterable.generate(out -> {
 *     for (int n = 3; n > 0; n--) {
 *         Async.sleep(Duration.ofSeconds(1));
 *         out.emit(n);
 *     }
 * });
 * for (int n : countdown) {     // inside a task
 *     System.out.println(n);    // 3, 2, 1, a second apart
 * }
 * }</pre>
 *
 * <p>Must be called from the loop thread; its iterators from inside a task.
 *
 * @param <T> the element type
 */
public interface AsyncIterable<T> extends Iterable<T> {

    /** An iterator whose {@code hasNext()} and {@code next()} may suspend. */
    @Override
    AsyncIterator<T> iterator();

    /**
     * An iterable whose elements a generator body emits (asyncio's async generator, an
     * {@code async def} with {@code yield}). Each {@link #iterator()} runs {@code body} afresh
     * in a producing task of its own, started by the first {@code hasNext()}; each
     * {@link AsyncGenerator.Emitter#emit emit} hands one element over and waits until the
     * consumer asks for the next one. See {@link AsyncGenerator} for when the producer ends.
     *
     * <pre>{@code
     * AsyncIterable<String> lines = AsyncIterable.generate(out -> {
     *     try (var conn = AsyncResource.of(() -> connect(host), Connection::close)) {
     *         String line;
     *         while ((line = conn.get().readLine()) != null) {
     *             out.emit(line);
     *         }
     *     }
     * });
     * }</pre>
     */
    static <T> AsyncGenerator<T> generate(AsyncGenerator.Body<T> body) {
        return new AsyncGenerator<>(Objects.requireNonNull(body, "body"));
    }
}
