package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * Async Programming (Intro), "Coroutines": calling a coroutine function gives a coroutine
 * object, which does nothing until it is awaited.
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
 * <p>The notebook shows the value of {@code fetch_data()}: a coroutine object, and nothing
 * of the body has run. Java has no unawaited-coroutine object, because a Simmer coroutine is
 * an ordinary method whose pauses happen inside the call, on the calling task's stack, so the
 * value of {@code fetchData()} is its result, shown after the body ran:
 *
 * <pre>
 * Starting to fetch...
 * Data fetched!
 * {'data': 'example'}
 * </pre>
 *
 * <p>To start a body later, or beside other work, hand it to {@link Async#createTask} or
 * {@link Async#gather} as a lambda or method reference ({@code this::fetchData}): they call
 * it.
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
    public void run() {
        print(fetchData()); // Python shows <coroutine object fetch_data at 0x...>: in Java the call has run
    }
}
