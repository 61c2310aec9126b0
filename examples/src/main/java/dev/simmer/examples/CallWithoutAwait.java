package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The Restaurant Kitchen Story, "Coroutines" and its "Important Rule": calling a coroutine
 * without awaiting it does not run it.
 *
 * <pre>
 * async def fetch_data():
 *     print("Getting data...")
 *     await asyncio.sleep(2)
 *     return "Here's your data!"
 *
 * # Wrong - doesn't run!
 * fetch_data()
 * # Correct - runs the coroutine
 * await fetch_data()
 * </pre>
 *
 * <p>Run inside {@code async def main()}, the Python prints {@code Getting data...} once, from
 * the awaited call; the other call makes a coroutine object that never runs (Python warns on
 * stderr: "coroutine 'fetch_data' was never awaited"). The wrong line has no Java twin: Java
 * has no unawaited-coroutine object, because a Simmer coroutine is an ordinary method whose
 * pauses happen inside the call, on the calling task's stack, so calling it runs it. This
 * twin prints the same one line.
 */
public final class CallWithoutAwait extends Example {
    /** The example, printing to {@code out}. */
    public CallWithoutAwait(PrintStream out) {
        super(out);
    }

    private String fetchData() {
        print("Getting data...");
        Async.sleep(Duration.ofSeconds(2));
        return "Here's your data!";
    }

    @Override
    public void run() {
        // Wrong - doesn't run! In Java this mistake cannot be written: a call runs the method.
        // Correct - runs the coroutine: from inside a task, a call is the await
        fetchData();
    }
}
