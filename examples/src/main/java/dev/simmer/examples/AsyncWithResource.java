package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Async Programming (Intro), "Async Context Managers": acquiring takes a second and releasing
 * half a second, both inside the try-with-resources, so the whole takes 1.5 s.
 *
 * <pre>
 * class AsyncResource:
 *     """Example async context manager"""
 *     async def __aenter__(self):
 *         print("Acquiring resource...")
 *         await asyncio.sleep(1)
 *         return self
 *
 *     async def __aexit__(self, exc_type, exc_val, exc_tb):
 *         print("Releasing resource...")
 *         await asyncio.sleep(0.5)
 *
 * async def main():
 *     """Use async context manager"""
 *     async with AsyncResource() as resource:
 *         print("Using resource")
 * start: float = time.time()
 * await main()
 * print(f"Time: {time.time() - start:.2f}s")
 * </pre>
 */
public final class AsyncWithResource extends Example {
    /** The example, printing to {@code out}. */
    public AsyncWithResource(PrintStream out) {
        super(out);
    }

    /** Example async context manager: {@link #acquire} is {@code __aenter__}, {@link #close} is {@code __aexit__}. */
    final class AsyncResource implements AutoCloseable {
        private AsyncResource() {
        }

        AsyncResource acquire() {
            print("Acquiring resource...");
            Async.sleep(Duration.ofSeconds(1));
            return this;
        }

        @Override
        public void close() {
            print("Releasing resource...");
            Async.sleep(Duration.ofMillis(500));
        }
    }

    /** Use async context manager. */
    @SuppressWarnings("try") // as in the tutorial, the block does not use the resource
    private void main() {
        try (AsyncResource resource = new AsyncResource().acquire()) {
            print("Using resource");
        }
    }

    @Override
    public void run() {
        long start = now();
        main();
        print("Time: " + secondsSince(start));
    }
}
