package dev.simmer.examples;

import java.io.PrintStream;

/**
 * Python Async/Await: Write Non-Blocking Code from Scratch, practice exercise 2: what a
 * coroutine call gives before it is awaited.
 *
 * <pre>
 * import asyncio
 * async def add(a, b):
 *     return a + b
 *
 * result = add(3, 4)
 * print(type(result).__name__)
 * </pre>
 *
 * <p>Python prints {@code coroutine}, not the sum: {@code add} has not run. Java has no
 * unawaited-coroutine object, because a Simmer coroutine is an ordinary method whose pauses
 * happen inside the call, on the calling task's stack, so {@code add(3, 4)} runs and gives 7:
 * this twin prints {@code Integer}.
 */
public final class UnawaitedResult extends Example {
    /** The example, printing to {@code out}. */
    public UnawaitedResult(PrintStream out) {
        super(out);
    }

    static int add(int a, int b) {
        return a + b;
    }

    @Override
    public void run() {
        Object result = add(3, 4);                   // the call runs: result is 7
        print(result.getClass().getSimpleName());    // Integer; Python: coroutine
    }
}
