package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The Restaurant Kitchen Story, "Starting Your Async Journey": {@code asyncio.run(main())} is
 * {@code Async.run(...)}, which makes the loop, runs main and closes the loop.
 *
 * <pre>
 * async def main():
 *     print("Let's go async!")
 *     await asyncio.sleep(1)
 *     print("Done!")
 *
 * # This is how you start
 * asyncio.run(main())
 * </pre>
 */
public final class LetsGoAsync extends Example {
    /** The example, printing to {@code out}. */
    public LetsGoAsync(PrintStream out) {
        super(out);
    }

    @Override
    public void run() {
        print("Let's go async!");
        Async.sleep(Duration.ofSeconds(1));
        print("Done!");
    }
}
