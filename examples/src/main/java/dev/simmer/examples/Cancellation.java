package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncTimeoutException;
import dev.simmer.CancelledException;
import dev.simmer.Task;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Cancellation (asyncio's {@code task.cancel()}, {@code CancelledError}, {@code shield}):
 * closing time for an oven that bakes until told to stop, and a delivery nobody may stop.
 *
 * <pre>
 * async def bake():
 *     try:
 *         while True:
 *             print("oven: baking")
 *             await asyncio.sleep(1)
 *     finally:
 *         print("oven: turning off")
 *         await asyncio.sleep(0.5)          # cleanup may wait
 *         print("oven: cold")
 *
 * oven = asyncio.create_task(bake())
 * await asyncio.sleep(2.5)
 * oven.cancel("closing time")
 * try:
 *     await oven
 * except asyncio.CancelledError as e:
 *     print(f"oven task cancelled: {e}")
 * </pre>
 *
 * <p>{@code cancel()} asks; the task gets a {@link CancelledException} at its next suspension
 * point, its {@code finally} blocks run (and may suspend), and whoever awaits it gets a
 * {@link CancelledException} too. {@link Async#shield} waits for a task without passing a
 * cancellation (here: a timeout) on to it.
 */
public final class Cancellation extends Example {
    /** The example, printing to {@code out}. */
    public Cancellation(PrintStream out) {
        super(out);
    }

    private void bake() {
        try {
            while (true) {
                print("oven: baking");
                Async.sleep(Duration.ofSeconds(1));
            }
        } finally {
            print("oven: turning off");
            Async.sleep(Duration.ofMillis(500)); // cleanup may wait
            print("oven: cold");
        }
    }

    private String deliver() {
        Async.sleep(Duration.ofSeconds(2));
        return "delivered";
    }

    @Override
    public void run() throws Exception {
        long start = now();
        Task<Void> oven = Async.createTask("oven", this::bake);
        Async.sleep(Duration.ofMillis(2500));
        oven.cancel("closing time");
        try {
            oven.await();
        } catch (CancelledException e) {
            print("oven task cancelled: " + e.getMessage() + " (" + secondsSince(start) + ")");
        }

        Task<String> delivery = Async.createTask("delivery", this::deliver);
        try {
            Async.timeout(Duration.ofSeconds(1), () -> Async.shield(delivery));
        } catch (AsyncTimeoutException e) {
            print("stopped waiting after 1 s; the delivery goes on");
        }
        print(delivery.await() + " (" + secondsSince(start) + ")");
    }
}
