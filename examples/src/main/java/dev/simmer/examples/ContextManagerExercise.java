package dev.simmer.examples;

import java.io.PrintStream;

/**
 * Python Async/Await: Write Non-Blocking Code from Scratch, practice exercise 4: an async
 * context manager, fixed.
 *
 * <pre>
 * The code below tries to define an async context manager but has two bugs. Fix them so
 * that the output shows:
 * Entering context
 * Doing work
 * Exiting context
 * Since we can't run async code directly, the fixed class should print Context manager
 * ready after definition.
 * </pre>
 *
 * <p>The tutorial does not show the buggy code. In Java the context manager is an
 * {@link AutoCloseable} whose opening call ({@code __aenter__}) and {@code close()}
 * ({@code __aexit__}) may suspend, used with try-with-resources; this one has nothing to
 * wait for. Beyond the exercise, this twin can run async code, so after
 * "Context manager ready" it uses the manager and prints the three lines the exercise asks
 * for, as this Python would:
 *
 * <pre>
 * class AsyncContextManager:
 *     async def __aenter__(self):
 *         print("Entering context")
 *         return self
 *
 *     async def __aexit__(self, exc_type, exc_val, exc_tb):
 *         print("Exiting context")
 *
 * print("Context manager ready")
 *
 * async def main():
 *     async with AsyncContextManager() as cm:
 *         print("Doing work")
 *
 * asyncio.run(main())
 * </pre>
 */
public final class ContextManagerExercise extends Example {
    /** The example, printing to {@code out}. */
    public ContextManagerExercise(PrintStream out) {
        super(out);
    }

    /** The fixed context manager. */
    final class AsyncContextManager implements AutoCloseable {
        /** {@code async def __aenter__(self)}: returns the manager itself, for {@code as cm}. */
        AsyncContextManager enter() {
            print("Entering context");
            return this;
        }

        /** {@code async def __aexit__(self, exc_type, exc_val, exc_tb)}. */
        @Override
        public void close() {
            print("Exiting context");
        }
    }

    @Override
    @SuppressWarnings("try") // the block does not use the manager, only enters and exits it
    public void run() {
        print("Context manager ready");

        try (AsyncContextManager cm = new AsyncContextManager().enter()) {
            print("Doing work");
        }
    }
}
