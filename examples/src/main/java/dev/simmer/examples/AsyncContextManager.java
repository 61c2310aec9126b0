package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Seed 000, "The Easy Way with asynccontextmanager": a context manager written as one
 * function, setup before the {@code yield} and cleanup in its {@code finally}.
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
 * <p>Simmer has no {@code @asynccontextmanager} helper yet, so the two halves of the
 * function become the opening call and {@code close()} of a small {@link AutoCloseable}.
 */
public final class AsyncContextManager extends Example {
    /** The example, printing to {@code out}. */
    public AsyncContextManager(PrintStream out) {
        super(out);
    }

    /** What {@code open_connection()} yields; closing it runs the {@code finally} part. */
    final class Connection implements AutoCloseable {
        @Override
        public void close() {
            print("Closing...");
        }

        @Override
        public String toString() {
            return "connection";
        }
    }

    /** The part before the {@code yield}. */
    Connection openConnection() {
        print("Opening...");
        Async.sleep(Duration.ofSeconds(1));
        return new Connection();
    }

    @Override
    public void run() {
        try (Connection conn = openConnection()) {
            print("Using " + conn);
        }
    }
}
