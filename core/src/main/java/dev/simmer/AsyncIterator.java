package dev.simmer;

import java.util.Iterator;

/**
 * An iterator whose {@link #hasNext()} and {@link #next()} may suspend the task that calls
 * them (asyncio's asynchronous iterator, {@code __anext__}). It is a plain
 * {@link Iterator}, so a Java loop drives it; the waiting happens inside the calls.
 *
 * <pre>{@code
 * // Python: async for n in Countdown(3): print(n)
 * final class Countdown implements AsyncIterable<Integer> {
 *     private final int start;
 *     Countdown(int start) { this.start = start; }
 *
 *     public AsyncIterator<Integer> iterator() {
 *         return new AsyncIterator<>() {
 *             int current = start;
 *             public boolean hasNext() { return current > 0; }
 *             public Integer next() {
 *                 if (current <= 0) throw new NoSuchElementException();
 *                 Async.sleep(Duration.ofMillis(100));   // suspends this task only
 *                 return current--;
 *             }
 *         };
 *     }
 * }
 *
 * for (int n : new Countdown(3)) {
 *     System.out.println(n);   // 3, 2, 1
 * }
 * }</pre>
 *
 * <p>Because {@code Iterator}'s methods declare no checked exceptions, an implementation may
 * rethrow a checked failure of the work behind it unchanged, undeclared (as
 * {@link AsyncIterable#generate} does): catch {@code Exception} around the loop to see it.
 *
 * <p>It is {@link AutoCloseable}: {@link #close()} ends the iteration early and releases what
 * the iterator holds (a generator's producing task, a timer). The enhanced {@code for}
 * statement does not close its iterator; use try-with-resources on the iterable (see
 * {@link AsyncIterable}) or on {@code iterator()} when leaving a loop early must release it
 * at once.
 *
 * <p>A class that is its own iterable (Python's {@code __aiter__} returning {@code self})
 * implements both interfaces, and overrides {@code close()} once: both give it a default, and
 * for such a class closing the iterable and closing the iterator are the same thing.
 *
 * <p>Must be called from the loop thread; the calls that may suspend must be called from
 * inside a task.
 *
 * @param <T> the element type
 */
public interface AsyncIterator<T> extends Iterator<T>, AutoCloseable {

    /** Whether there is another element; may suspend until that is known. */
    @Override
    boolean hasNext();

    /**
     * The next element; may suspend until it is there.
     *
     * @throws java.util.NoSuchElementException if there is none
     */
    @Override
    T next();

    /**
     * Ends the iteration early and releases what the iterator holds; may suspend. Calling it
     * again does nothing. The default has nothing to release.
     */
    @Override
    default void close() {
    }
}
