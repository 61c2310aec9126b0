package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.LoopThread;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The Restaurant Kitchen Story, "The Event Loop": the old way to run a coroutine, on a loop
 * you make and hold, then the new way, {@code asyncio.run}.
 *
 * <pre>
 * async def main():
 *     print("Let's go async!")
 *     await asyncio.sleep(1)
 *     print("Done!")
 *
 * # Old way (still works)
 * loop = asyncio.get_event_loop()
 * loop.run_until_complete(main())
 *
 * # New way (Python 3.7+)
 * asyncio.run(main()) # Handles loop for you!
 * </pre>
 *
 * <p>{@code main} is the one the tutorial starts its journey with ({@link LetsGoAsync}), so
 * the program prints its two lines twice. Simmer has no loop to get outside a run: the
 * closest it has to a loop you hold is a {@link LoopThread}, an event loop on a thread of its
 * own, and {@code submit(main).get()} runs main on it while this thread waits, as
 * {@code run_until_complete} does. {@link Async#run} is preferred, as {@code asyncio.run} is:
 * it runs main on the calling thread, rethrows main's failure unchanged (not wrapped in an
 * {@code ExecutionException}), and when main ends it cancels the tasks main left running and
 * closes the loop, where an explicit loop must be closed by hand (the tutorial's old way never
 * closes its loop, and newer Pythons deprecate {@code get_event_loop()} outside a running
 * loop). {@code LoopThread} is for code that is not async itself and hands the loop
 * work from outside: a servlet, a GUI, a test.
 */
public final class RunUntilComplete extends Example {
    /** The example, printing to {@code out}. */
    public RunUntilComplete(PrintStream out) {
        super(out);
    }

    /** The tutorial's {@code main()}. */
    @Override
    public void run() {
        print("Let's go async!");
        Async.sleep(Duration.ofSeconds(1));
        print("Done!");
    }

    /** The tutorial's top level: main run on an explicit loop, then with {@code Async.run}. */
    @Override
    public void runProgram() throws Exception {
        // Old way (still works): a loop you make, run main on, and must close
        try (LoopThread loop = LoopThread.start()) { // loop = asyncio.get_event_loop()
            loop.submit(this::run).get();            // loop.run_until_complete(main())
        }                                            // loop.close(), which the old way leaves out

        // New way: makes a loop, runs main on this thread, cancels what main left running, closes the loop
        Async.run(this::run);                        // asyncio.run(main()) # Handles loop for you!
    }
}
