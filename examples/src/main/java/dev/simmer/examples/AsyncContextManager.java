package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncResource;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The Restaurant Kitchen Story, "The Easy Way with asynccontextmanager": a context manager
 * written as one function, setup before the {@code yield} and cleanup in its {@code finally}.
 *
 * <pre>
 * &#64;asynccontextmanager
 * async def open_connection():
 *     print("Opening...")
 *     await asyncio.sleep(1)
 *     try:
 *         yield "connection"
 *     finally:
 *         print("Closing...")
 *
 * async def main():
 *     async with open_connection() as conn:
 *         print(f"Using {conn}")
 * </pre>
 *
 * <p>{@link AsyncResource#of AsyncResource.of(setup, teardown)} is {@code @asynccontextmanager}:
 * the part before the {@code yield} is the setup, which may suspend and returns what is
 * yielded; the {@code finally} part is the teardown, which try-with-resources runs however
 * the block ends. As in Python, a setup that fails leaves nothing to close. One difference:
 * calling {@code openConnection()} runs the setup at once, where Python's
 * {@code open_connection()} waits for {@code async with}; called in the {@code try} header,
 * as here, the two are the same.
 */
public final class AsyncContextManager extends Example {
    /** The example, printing to {@code out}. */
    public AsyncContextManager(PrintStream out) {
        super(out);
    }

    /** The tutorial's {@code open_connection()}: its value, {@link AsyncResource#get()}, is what it yields. */
    AsyncResource<String> openConnection() throws Exception {
        return AsyncResource.of(() -> {
            print("Opening...");
            Async.sleep(Duration.ofSeconds(1));
            return "connection";          // yield "connection"
        }, conn -> print("Closing..."));  // finally: print("Closing...")
    }

    @Override
    public void run() throws Exception {
        try (AsyncResource<String> conn = openConnection()) {
            print("Using " + conn.get());
        }
    }
}
