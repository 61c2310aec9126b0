package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Asynchronous Programming in Python, "Await Keyword": main awaits another coroutine, and
 * pauses until it is done.
 *
 * <pre>
 * async def fetch_data():
 *     print("Fetching data...")
 *     await asyncio.sleep(3)
 *     print("Data fetched after 3 seconds")
 * async def main():
 *     await fetch_data()
 * asyncio.run(main())
 * </pre>
 *
 * <p>{@code await fetch_data()} is a plain call of the method from inside the task.
 */
public final class AwaitCoroutine extends Example {
    /** The example, printing to {@code out}. */
    public AwaitCoroutine(PrintStream out) {
        super(out);
    }

    private void fetchData() {
        print("Fetching data...");
        Async.sleep(Duration.ofSeconds(3));
        print("Data fetched after 3 seconds");
    }

    @Override
    public void run() {
        fetchData();
    }
}
