package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncTimeoutException;
import dev.simmer.CancelledException;
import dev.simmer.Task;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Time limits (asyncio's {@code timeout}, {@code wait_for}), in the kitchen: a stew that
 * needs three minutes gets one, a sorbet that needs two gets one, tea that needs one gets two.
 *
 * <pre>
 * try:
 *     async with asyncio.timeout(1):
 *         await cook("stew", 3)
 * except TimeoutError:
 *     print("stew: gave up after 1 s")
 *
 * tea = asyncio.create_task(cook("tea", 1))
 * print(await asyncio.wait_for(tea, 2))
 * </pre>
 *
 * <p>A body cut short is cancelled: its {@code finally} blocks run, and may suspend, before
 * {@link AsyncTimeoutException} (unchecked, never a {@link CancelledException}) reaches the
 * caller. {@link Async#timeoutOrNull} returns {@code null} instead of throwing.
 */
public final class Timeouts extends Example {
    /** The example, printing to {@code out}. */
    public Timeouts(PrintStream out) {
        super(out);
    }

    private String cook(String dish, int seconds) {
        print(dish + ": on the heat");
        try {
            Async.sleep(Duration.ofSeconds(seconds));
            print(dish + ": ready");
            return dish;
        } finally {
            print(dish + ": off the heat"); // runs when cut short too
        }
    }

    @Override
    public void run() throws Exception {
        long start = now();
        try {
            Async.timeout(Duration.ofSeconds(1), () -> cook("stew", 3));
        } catch (AsyncTimeoutException e) {
            print("stew: gave up after " + secondsSince(start));
        }

        String sorbet = Async.timeoutOrNull(Duration.ofSeconds(1), () -> cook("sorbet", 2));
        print("sorbet: " + Py.repr(sorbet));

        Task<String> tea = Async.createTask(() -> cook("tea", 1));
        print("served: " + Async.waitFor(tea, Duration.ofSeconds(2)));
        print("Time: " + secondsSince(start));
    }
}
