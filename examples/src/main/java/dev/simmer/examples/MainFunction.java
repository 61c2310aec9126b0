package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Asynchronous Programming in Python, "Event Loop": the loop runs main, which pauses for two
 * seconds.
 *
 * <pre>
 * import asyncio
 * async def main():
 *     print("Starting main function")
 *     await asyncio.sleep(2)
 *     print("Main function resumed after 2 seconds")
 * asyncio.run(main())
 * </pre>
 */
public final class MainFunction extends Example {
    /** The example, printing to {@code out}. */
    public MainFunction(PrintStream out) {
        super(out);
    }

    @Override
    public void run() {
        print("Starting main function");
        Async.sleep(Duration.ofSeconds(2));
        print("Main function resumed after 2 seconds");
    }
}
