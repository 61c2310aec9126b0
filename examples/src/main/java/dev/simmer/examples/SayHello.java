package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The Restaurant Kitchen Story, "Real Example": the first coroutine.
 *
 * <pre>
 * async def say_hello():
 *     print("Hello!")
 *     await asyncio.sleep(1) # Wait 1 second
 *     print("World!")
 *
 * asyncio.run(say_hello())
 * </pre>
 */
public final class SayHello extends Example {
    /** The example, printing to {@code out}. */
    public SayHello(PrintStream out) {
        super(out);
    }

    @Override
    public void run() {
        print("Hello!");
        Async.sleep(Duration.ofSeconds(1)); // Wait 1 second
        print("World!");
    }
}
