package dev.simmer;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
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
 * List<Integer> all = countdown.toList();   // [3, 2, 1]: [n async for n in countdown]
 * }</pre>
 *
 * <p>Closing. The enhanced {@code for} statement does not close the iterator it takes, so a
 * loop left early ({@code break}, an exception) leaves an iterator open; for a generator,
 * its producer waits until the consuming task ends. An {@code AsyncIterable} is therefore
 * {@link AutoCloseable}: its {@link #close()} ends every iteration of it still open (the
 * default has nothing to end), and try-with-resources around the loop releases at once what
 * a {@code break} left, whatever the static type:
 *
 * <pre>{@code
 * try (AsyncIterable<Integer> numbers = countdown(3)) {
 *     for (int n : numbers) {
 *         if (n == 2) break;    // close() below stops the producer and runs its finally blocks
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #toList()}, {@link #take(int)} and {@link #first()} close the iterator they use.
 *
 * <p>Must be called from the loop thread; its iterators from inside a task.
 *
 * @param <T> the element type
 */
public interface AsyncIterable<T> extends Iterable<T>, AutoCloseable {

    /** An iterator whose {@code hasNext()} and {@code next()} may suspend. */
    @Override
    AsyncIterator<T> iterator();

    /**
     * Ends every iteration of this iterable still open and releases what it holds; may
     * suspend (for a generator: until its producers have run their {@code finally} blocks).
     * The default has nothing to release.
     */
    @Override
    default void close() {
    }

    /**
     * Every element, in order, in a new list (Python's {@code [x async for x in it]}); may
     * suspend. The iterator is closed afterwards, also when getting an element fails.
     *
     * @return the elements, in iteration order; a modifiable list
     */
    default List<T> toList() {
        List<T> all = new ArrayList<>();
        try (AsyncIterator<T> it = iterator()) {
            while (it.hasNext()) {
                all.add(it.next());
            }
        }
        return all;
    }

    /**
     * The first {@code n} elements (fewer if there are fewer), in a new list; may suspend.
     * The iterator is closed afterwards, so a generator's producer ends there.
     *
     * @param n the most elements to take, zero or more
     * @return up to {@code n} elements, in iteration order
     * @throws IllegalArgumentException if {@code n} is negative
     */
    default List<T> take(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("take(n): n must be >= 0, got " + n);
        }
        List<T> some = new ArrayList<>(Math.min(n, 16));
        try (AsyncIterator<T> it = iterator()) {
            while (some.size() < n && it.hasNext()) {
                some.add(it.next());
            }
        }
        return some;
    }

    /**
     * The first element; may suspend. The iterator is closed afterwards, so a generator's
     * producer ends there (Python's {@code await anext(aiter(it))} followed by {@code aclose()}).
     *
     * @return the first element
     * @throws NoSuchElementException if there is none
     */
    default T first() {
        try (AsyncIterator<T> it = iterator()) {
            if (!it.hasNext()) {
                throw new NoSuchElementException("first(): " + this + " has no elements");
            }
            return it.next();
        }
    }

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
     *
     * @param <T> the element type
     * @param body produces the elements through its emitter; each iteration runs it anew, in a task of its
     *     own started by the first {@code hasNext()}
     * @return the generator; close it (try-with-resources) when leaving an iteration early
     */
    static <T> AsyncGenerator<T> generate(AsyncGenerator.Body<T> body) {
        return new AsyncGenerator<>(Objects.requireNonNull(body, "body"));
    }
}
