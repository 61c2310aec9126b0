package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The Restaurant Kitchen Story, "Async Context Managers: Safe Open and Close":
 * {@code async with} is try-with-resources over an {@link AutoCloseable} whose opening call
 * and {@code close()} may suspend.
 *
 * <pre>
 * class AsyncDatabase:
 *     async def __aenter__(self):
 *         print("Connecting...")
 *         await asyncio.sleep(1)
 *         return self
 *
 *     async def __aexit__(self, *args):
 *         print("Disconnecting...")
 *         await asyncio.sleep(0.5)
 *
 * async def main():
 *     async with AsyncDatabase() as db:
 *         print("Using database!")
 * </pre>
 */
public final class AsyncWithDatabase extends Example {
    /** The example, printing to {@code out}. */
    public AsyncWithDatabase(PrintStream out) {
        super(out);
    }

    /** The tutorial's {@code AsyncDatabase}: {@link #connect} is {@code __aenter__}, {@link #close} is {@code __aexit__}. */
    final class AsyncDatabase implements AutoCloseable {
        private AsyncDatabase() {
        }

        AsyncDatabase connect() {
            print("Connecting...");
            Async.sleep(Duration.ofSeconds(1));
            return this;
        }

        @Override
        public void close() {
            print("Disconnecting...");
            Async.sleep(Duration.ofMillis(500));
        }
    }

    @Override
    @SuppressWarnings("try") // as in the tutorial, the block does not use db
    public void run() {
        try (AsyncDatabase db = new AsyncDatabase().connect()) {
            print("Using database!");
        }
    }
}
