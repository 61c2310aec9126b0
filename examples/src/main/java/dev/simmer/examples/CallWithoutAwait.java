package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Seed 000, "Coroutines" and its "Important Rule": calling a coroutine without awaiting it
 * does not run it.
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
 * <p>In Java a coroutine is a plain method, and calling it from a task runs it: that is
 * {@code await}. Python's un-run coroutine object is a body that nobody has called yet,
 * such as the method reference {@code this::fetchData}.
 */
public final class CallWithoutAwait extends Example {
    /** The example, printing to {@code out}. */
    public CallWithoutAwait(PrintStream out) {
        super(out);
    }

    @Override
    public void run() {
        // Wrong - doesn't run! Python's un-awaited coroutine object is a body nobody calls:
        AsyncCallable<String> coroutine = this::fetchData;
        print("Made an " + typeName(coroutine) + "; nothing has run yet");

        // Correct - runs the coroutine: call it (from inside a task, that is await)
        String data = fetchData();
        print(data);
    }

    private String fetchData() {
        print("Getting data...");
        Async.sleep(Duration.ofSeconds(2));
        return "Here's your data!";
    }
}
