package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Asynchronous Programming in Python, "Coroutines": a function that pauses and resumes.
 *
 * <pre>
 * async def my_coroutine():
 *     print("Coroutine started")
 *     await asyncio.sleep(1)
 *     print("Coroutine resumed after 1 second")
 * </pre>
 *
 * <p>The tutorial only defines it; this twin runs it, as {@code asyncio.run(my_coroutine())}
 * does.
 */
public final class MyCoroutine extends Example {
    /** The example, printing to {@code out}. */
    public MyCoroutine(PrintStream out) {
        super(out);
    }

    @Override
    public void run() {
        print("Coroutine started");
        Async.sleep(Duration.ofSeconds(1));
        print("Coroutine resumed after 1 second");
    }
}
