package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * Seed 001, "Coroutines": calling a coroutine function gives a coroutine object, which does
 * nothing until it is awaited.
 *
 * <pre>
 * async def fetch_data():
 *     """Simulate fetching data from API"""
 *     print("Starting to fetch...")
 *     await asyncio.sleep(2)  # Simulates I/O operation
 *     print("Data fetched!")
 *     return {"data": "example"}
 * fetch_data()
 * &lt;coroutine object fetch_data at 0x107d12f80&gt;
 * </pre>
 *
 * <p>Java's coroutine object is a body not yet called, an {@link AsyncCallable}. This twin
 * prints its type where Python shows the object, then awaits it, which Python's cell does not.
 */
public final class CoroutineObject extends Example {
    /** The example, printing to {@code out}. */
    public CoroutineObject(PrintStream out) {
        super(out);
    }

    /** Simulate fetching data from API. */
    private Map<String, String> fetchData() {
        print("Starting to fetch...");
        Async.sleep(Duration.ofSeconds(2)); // Simulates I/O operation
        print("Data fetched!");
        return Map.of("data", "example");
    }

    @Override
    public void run() throws Exception {
        AsyncCallable<Map<String, String>> coroutine = this::fetchData; // nothing runs yet
        print("<" + typeName(coroutine) + " fetchData, not started>");
        print(coroutine.call()); // runs it in this task: await fetch_data()
    }
}
