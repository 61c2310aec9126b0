package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.sync.Held;
import dev.simmer.sync.Lock;
import dev.simmer.sync.Semaphore;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@link Semaphore} and {@link Lock} from {@code dev.simmer.sync} (asyncio's {@code Semaphore}
 * and {@code Lock}): four dishes but two burners, and one tasting spoon.
 *
 * <pre>
 * burners = asyncio.Semaphore(2)
 * spoon = asyncio.Lock()
 *
 * async def cook(dish, minutes):
 *     async with burners:                 # waits while both burners are taken
 *         print(f"{dish}: on a burner")
 *         await asyncio.sleep(minutes)
 *     async with spoon:                   # one taster at a time, even across an await
 *         await asyncio.sleep(0.5)
 *         print(f"{dish}: tasted")
 *
 * await asyncio.gather(*(cook(d, m) for d, m in [("soup", 2), ("rice", 1), ("stew", 2), ("beans", 1)]))
 * </pre>
 *
 * <p>Why not {@code java.util.concurrent.Semaphore} or {@code synchronized}: on the fast path
 * every task runs on the loop thread, so JDK locks give no exclusion between tasks, and a
 * blocking wait would stop the whole loop. These suspend the task instead, hand over in
 * arrival order, and are released by try-with-resources ({@link Held}).
 */
public final class Burners extends Example {
    private final Semaphore burners = new Semaphore(2);
    private final Lock spoon = new Lock();

    /** The example, printing to {@code out}. */
    public Burners(PrintStream out) {
        super(out);
    }

    @SuppressWarnings("try") // the Held values are only there to be closed
    private void cook(String dish, int minutes, long start) {
        try (Held burner = burners.acquire()) { // waits while both burners are taken
            print("[" + secondsSince(start) + "] " + dish + ": on a burner");
            Async.sleep(Duration.ofSeconds(minutes));
        }
        try (Held taster = spoon.acquire()) {   // one taster at a time, even across a sleep
            Async.sleep(Duration.ofMillis(500));
            print("[" + secondsSince(start) + "] " + dish + ": tasted");
        }
    }

    @Override
    public void run() throws Exception {
        long start = now();
        Async.gather(
                () -> cook("soup", 2, start),
                () -> cook("rice", 1, start),
                () -> cook("stew", 2, start),
                () -> cook("beans", 1, start));
        print("Time: " + secondsSince(start));
    }
}
