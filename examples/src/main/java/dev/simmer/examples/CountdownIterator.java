package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Seed 002, practice exercise 3: an async iterator.
 *
 * <pre>
 * Create a class called Countdown that implements the async iterator protocol. It should:
 * 1. Accept a start value in __init__
 * 2. Implement __aiter__ returning self
 * 3. Implement __anext__ that counts down from start to 1, raising StopAsyncIteration when done
 * After the class, print the string Countdown ready to confirm your class is defined.
 * </pre>
 *
 * <p>Simmer has no async-iterator type, and needs none for this: a task's body may suspend
 * anywhere, so an ordinary {@link Iterator} whose {@code next()} sleeps is an async
 * iterator, and a plain {@code for} loop over it is {@code async for}. Beyond the exercise,
 * this twin then counts down from 3, one second per step.
 */
public final class CountdownIterator extends Example {
    /** The example, printing to {@code out}. */
    public CountdownIterator(PrintStream out) {
        super(out);
    }

    /** The seed's {@code Countdown}; like {@code __aiter__}, {@link #iterator()} returns itself. */
    static final class Countdown implements Iterable<Integer>, Iterator<Integer> {
        private int current;

        Countdown(int start) {
            this.current = start;
        }

        @Override
        public Iterator<Integer> iterator() {
            return this;
        }

        /** {@code False} is where {@code __anext__} raises {@code StopAsyncIteration}. */
        @Override
        public boolean hasNext() {
            return current > 0;
        }

        /** {@code __anext__}: may suspend, here for a second, as if waiting for I/O. */
        @Override
        public Integer next() {
            if (current <= 0) {
                throw new NoSuchElementException("StopAsyncIteration");
            }
            Async.sleep(Duration.ofSeconds(1));
            return current--;
        }
    }

    @Override
    public void run() {
        print("Countdown ready");

        for (int n : new Countdown(3)) { // async for n in Countdown(3):
            print(n);
        }
    }
}
