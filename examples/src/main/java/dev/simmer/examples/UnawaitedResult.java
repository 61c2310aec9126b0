package dev.simmer.examples;

import dev.simmer.AsyncCallable;

import java.io.PrintStream;

/**
 * Seed 002, practice exercise 2: what a coroutine call gives before it is awaited.
 *
 * <pre>
 * async def add(a, b):
 *     return a + b
 *
 * result = add(3, 4)
 * print(type(result).__name__)
 * </pre>
 *
 * <p>Python prints {@code coroutine}, not 7: the sum is not computed yet. Here {@code add}
 * returns an {@link AsyncCallable}, so this prints {@code AsyncCallable}; then, beyond the
 * exercise, it awaits the body and prints 7.
 */
public final class UnawaitedResult extends Example {
    /** The example, printing to {@code out}. */
    public UnawaitedResult(PrintStream out) {
        super(out);
    }

    static AsyncCallable<Integer> add(int a, int b) {
        return () -> a + b;
    }

    @Override
    public void run() throws Exception {
        AsyncCallable<Integer> result = add(3, 4);
        print(typeName(result)); // Python: coroutine

        print(result.call()); // 7, once awaited
    }
}
