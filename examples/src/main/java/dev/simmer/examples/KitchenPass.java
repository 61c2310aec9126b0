package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.Task;
import dev.simmer.sync.Barrier;
import dev.simmer.sync.Condition;
import dev.simmer.sync.Held;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Barrier} and {@link Condition} from {@code dev.simmer.sync} (asyncio's
 * {@code Barrier} and {@code Condition}): a table's three dishes wait for each other to be
 * served together, and a runner waits at the pass until two plates are there.
 *
 * <pre>
 * table = asyncio.Barrier(3)
 *
 * async def plate(dish, seconds):
 *     await asyncio.sleep(seconds)
 *     await table.wait()                     # until all three are plated
 *     print(f"{dish}: served")
 *
 * pass_ = asyncio.Condition()
 * async def runner():
 *     async with pass_:
 *         await pass_.wait_for(lambda: len(plates) >= 2)
 *         print(f"runner takes {plates}")
 * </pre>
 */
public final class KitchenPass extends Example {
    private final Barrier table = new Barrier(3);
    private final Condition pass = new Condition();
    private final List<String> plates = new ArrayList<>();

    /** The example, printing to {@code out}. */
    public KitchenPass(PrintStream out) {
        super(out);
    }

    private void plate(String dish, int seconds, long start) {
        Async.sleep(Duration.ofSeconds(seconds));
        print("[" + secondsSince(start) + "] " + dish + ": plated");
        table.await(); // until all three are plated
        print("[" + secondsSince(start) + "] " + dish + ": served");
    }

    @SuppressWarnings("try") // the Held values are only there to be closed
    private void putOnThePass(String dish, int seconds) {
        Async.sleep(Duration.ofSeconds(seconds));
        try (Held held = pass.acquire()) {
            plates.add(dish);
            pass.signalAll(); // wake whoever waits for plates
        }
    }

    @SuppressWarnings("try")
    private void runner(long start) {
        try (Held held = pass.acquire()) {
            pass.awaitUntil(() -> plates.size() >= 2); // releases the lock while it waits
            print("[" + secondsSince(start) + "] runner takes " + Py.repr(plates));
        }
    }

    @Override
    public void run() throws Exception {
        long start = now();
        Async.gather(
                () -> plate("soup", 1, start),
                () -> plate("steak", 3, start),
                () -> plate("salad", 2, start));

        long later = now();
        Task<Void> runner = Async.createTask(() -> runner(later));
        Async.gather(
                () -> putOnThePass("fries", 2),
                () -> putOnThePass("burger", 1),
                () -> putOnThePass("shake", 3));
        runner.await();
    }
}
