package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncResource;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The Restaurant Kitchen Story, "Putting It All Together!": a timer context manager around a
 * gather of three one-second fetches, which take one second in all.
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
 * <p>{@code timer} is built with {@link AsyncResource#of AsyncResource.of(setup, teardown)},
 * Simmer's {@code @asynccontextmanager}: the part before {@code yield} is the setup, the
 * {@code finally} part the teardown. The start time, which Python keeps in the generator's
 * frame, goes from setup to teardown as the resource's value; the block does not use it,
 * as the tutorial's bare {@code yield} gives the block nothing.
 */
public final class TimedGather extends Example {
    /** The example, printing to {@code out}. */
    public TimedGather(PrintStream out) {
        super(out);
    }

    /** The tutorial's {@code timer(name)}; its value is the loop time it started at. */
    AsyncResource<Long> timer(String name) throws Exception {
        return AsyncResource.of(() -> {
            print("⏱️ Starting " + name);
            return now();                                               // start = loop.time(); yield
        }, start -> print("✅ " + name + ": " + secondsSince(start))); // finally: end - start
    }

    private String fetchUser(int userId) {
        Async.sleep(Duration.ofSeconds(1)); // Simulate API
        return "User " + userId;
    }

    @Override
    @SuppressWarnings("try") // as in the tutorial, the block does not use the timer: it is only opened and closed
    public void run() throws Exception {
        try (AsyncResource<Long> timer = timer("All fetches")) {
            // Run 3 fetches at once!
            List<String> users = Async.gather(
                    () -> fetchUser(1),
                    () -> fetchUser(2),
                    () -> fetchUser(3));
            print(users);
        }
    }
}
