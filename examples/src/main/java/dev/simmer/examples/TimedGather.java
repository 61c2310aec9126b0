package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Seed 000, "Putting It All Together!": a timer context manager around a gather of three
 * one-second fetches, which take one second in all.
 *
 * <pre>
 * &#64;asynccontextmanager
 * async def timer(name):
 *     print(f"⏱️ Starting {name}")
 *     start = asyncio.get_event_loop().time()
 *     try:
 *         yield
 *     finally:
 *         end = asyncio.get_event_loop().time()
 *         print(f"✅ {name}: {end-start:.2f}s")
 *
 * async def fetch_user(user_id):
 *     await asyncio.sleep(1) # Simulate API
 *     return f"User {user_id}"
 *
 * async def main():
 *     async with timer("All fetches"):
 *         users = await asyncio.gather(
 *             fetch_user(1),
 *             fetch_user(2),
 *             fetch_user(3)
 *         )
 *         print(users)
 *
 * asyncio.run(main())
 * </pre>
 *
 * <p>Without an {@code @asynccontextmanager} helper, {@code timer} is a small
 * {@link AutoCloseable}: the part before {@code yield} in its constructor, the
 * {@code finally} part in {@code close()}.
 */
public final class TimedGather extends Example {
    /** The example, printing to {@code out}. */
    public TimedGather(PrintStream out) {
        super(out);
    }

    /** The seed's {@code timer(name)}. */
    final class Timer implements AutoCloseable {
        private final String name;
        private final long start;

        Timer(String name) {
            this.name = name;
            print("⏱️ Starting " + name);
            this.start = now();
        }

        @Override
        public void close() {
            print("✅ " + name + ": " + secondsSince(start));
        }
    }

    private String fetchUser(int userId) {
        Async.sleep(Duration.ofSeconds(1)); // Simulate API
        return "User " + userId;
    }

    @Override
    @SuppressWarnings("try") // the timer is not used inside the block, only opened and closed
    public void run() throws Exception {
        try (Timer timer = new Timer("All fetches")) {
            // Run 3 fetches at once!
            List<String> users = Async.gather(
                    () -> fetchUser(1),
                    () -> fetchUser(2),
                    () -> fetchUser(3));
            print(users);
        }
    }
}
