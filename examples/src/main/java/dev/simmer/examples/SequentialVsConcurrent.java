package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Python Async/Await: Write Non-Blocking Code from Scratch, "Concurrent Tasks with
 * asyncio.gather()": three one-second fetches take three seconds awaited one by one, and one
 * second gathered.
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
 * <p>"Let's simulate this difference to see the speed-up": the tutorial does not show its
 * simulation, its {@code fetch_user} or its output. Here a fetch sleeps a second, and main
 * runs each way and prints its result and its time, as this Python does:
 *
 * <pre>
 * async def main():
 *     loop = asyncio.get_running_loop()
 *     start = loop.time()
 *     users = await main_sequential()   # the first main above
 *     print(f"Sequential: {users} in {loop.time() - start:.2f}s")
 *     start = loop.time()
 *     users = await main_concurrent()   # the second
 *     print(f"Concurrent: {users} in {loop.time() - start:.2f}s")
 * </pre>
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
