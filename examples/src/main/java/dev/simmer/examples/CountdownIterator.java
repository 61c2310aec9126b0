package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncIterable;
import dev.simmer.AsyncIterator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Python Async/Await: Write Non-Blocking Code from Scratch, practice exercise 3: an async
 * iterator.
 *
 * <pre>
 * Create a class called Countdown that implements the async iterator protocol. It should:
 * 1. Accept a start value in __init__
 * 2. Implement __aiter__ returning self
 * 3. Implement __anext__ that counts down from start to 1, raising StopAsyncIteration when done
 * After the class, print the string Countdown ready to confirm your class is defined.
 * </pre>
 *
 * <p>The async iterator protocol is {@link AsyncIterable} ({@code __aiter__}) and
 * {@link AsyncIterator} ({@code __anext__}): plain {@link Iterable} and
 * {@link java.util.Iterator} whose {@code hasNext()} and {@code next()} may suspend the task
 * that calls them. Inside a task, the enhanced {@code for} loop over one is
 * {@code async for}.
 *
 * <p>Beyond the exercise, which only prints {@code Countdown ready}, this twin uses the class
 * ({@code async for n in Countdown(3): print(n)}), then writes the same countdown as an async
 * generator ({@link AsyncIterable#generate}, an {@code async def} with {@code yield}) that
 * waits a second before each number, and collects its numbers with
 * {@link AsyncIterable#toList()}, as the async comprehension
 * {@code [n async for n in countdown(3)]} would: {@code 3}, {@code 2}, {@code 1}, then
 * {@code [3, 2, 1]} three seconds later.
 */
public final class CountdownIterator extends Example {
    /** The example, printing to {@code out}. */
    public CountdownIterator(PrintStream out) {
        super(out);
    }

    /** The exercise's {@code Countdown}; like {@code __aiter__}, {@link #iterator()} returns itself. */
    static final class Countdown implements AsyncIterable<Integer>, AsyncIterator<Integer> {
        private int current;

        Countdown(int start) {
            this.current = start;
        }

        /** {@code __aiter__}: returns self. */
        @Override
        public AsyncIterator<Integer> iterator() {
            return this;
        }

        /** {@code false} is where {@code __anext__} raises {@code StopAsyncIteration}. */
        @Override
        public boolean hasNext() {
            return current > 0;
        }

        /** {@code __anext__}: it could suspend the task (wait for I/O); this one has nothing to wait for. */
        @Override
        public Integer next() {
            if (current <= 0) {
                throw new NoSuchElementException("StopAsyncIteration");
            }
            return current--;
        }

        /**
         * {@code aclose()}: nothing to release. A class that is its own iterator overrides it
         * once, since {@link AsyncIterable} and {@link AsyncIterator} both give a default.
         */
        @Override
        public void close() {
            current = 0;
        }
    }

    /**
     * The same countdown as an async generator, waiting a second before each number (beyond
     * the exercise). Python:
     *
     * <pre>
     * async def countdown(start):
     *     for n in range(start, 0, -1):
     *         await asyncio.sleep(1)
     *         yield n
     * </pre>
     */
    static AsyncIterable<Integer> countdown(int start) {
        return AsyncIterable.generate(out -> {
            for (int n = start; n > 0; n--) {
                Async.sleep(Duration.ofSeconds(1));
                out.emit(n); // yield n
            }
        });
    }

    @Override
    public void run() {
        print("Countdown ready");

        for (int n : new Countdown(3)) { // async for n in Countdown(3):
            print(n);
        }

        List<Integer> numbers = countdown(3).toList(); // [n async for n in countdown(3)]
        print(numbers);
    }
}
