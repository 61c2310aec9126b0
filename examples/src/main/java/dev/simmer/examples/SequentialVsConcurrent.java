package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Seed 002, "Concurrent Tasks with asyncio.gather()": three one-second fetches take three
 * seconds awaited one by one, and one second gathered.
 *
 * <pre>
 * # Takes 3 seconds total
 * async def main():
 *     a = await fetch_user(1) # 1 sec
 *     b = await fetch_user(2) # 1 sec
 *     c = await fetch_user(3) # 1 sec
 *     return [a, b, c]
 *
 * # Takes ~1 second total
 * async def main():
 *     a, b, c = await asyncio.gather(
 *         fetch_user(1),
 *         fetch_user(2),
 *         fetch_user(3),
 *     )
 *     return [a, b, c]
 * </pre>
 *
 * <p>"Let's simulate this difference to see the speed-up": the seed does not show its
 * {@code fetch_user} or its output; here a fetch sleeps a second and each way prints its
 * result and its time.
 */
public final class SequentialVsConcurrent extends Example {
    /** The example, printing to {@code out}. */
    public SequentialVsConcurrent(PrintStream out) {
        super(out);
    }

    private String fetchUser(int id) {
        Async.sleep(Duration.ofSeconds(1));
        return "User " + id;
    }

    /** Takes 3 seconds total. */
    private List<String> sequential() {
        String a = fetchUser(1); // 1 sec
        String b = fetchUser(2); // 1 sec
        String c = fetchUser(3); // 1 sec
        return List.of(a, b, c);
    }

    /** Takes ~1 second total. */
    private List<String> concurrent() throws Exception {
        return Async.gather(
                () -> fetchUser(1),
                () -> fetchUser(2),
                () -> fetchUser(3));
    }

    @Override
    public void run() throws Exception {
        long start = now();
        List<String> users = sequential();
        print("Sequential: " + Py.repr(users) + " in " + secondsSince(start));

        start = now();
        users = concurrent();
        print("Concurrent: " + Py.repr(users) + " in " + secondsSince(start));
    }
}
