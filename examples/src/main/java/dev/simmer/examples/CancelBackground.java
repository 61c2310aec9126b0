package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.Task;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Async Programming (Intro), "Using asyncio.create_task()": a background task works every five
 * seconds until main cancels it after ten; it gets a {@code CancelledException} in its sleep.
 *
 * <pre>
 * async def background_task():
 *     """Long running task"""
 *     while True:
 *         print("Background work...")
 *         await asyncio.sleep(5)
 *
 * async def main():
 *     task = asyncio.create_task(background_task())
 *     await asyncio.sleep(10)
 *     task.cancel()
 * start: float = time.time()
 * await main()
 * print(f"Time: {time.time() - start:.2f}s")
 * </pre>
 *
 * <p>At ten seconds main's sleep and the task's second sleep end together; main's timer was
 * set first, so main runs first and cancels the task before it can work a third time.
 */
public final class CancelBackground extends Example {
    /** The example, printing to {@code out}. */
    public CancelBackground(PrintStream out) {
        super(out);
    }

    /** Long running task. */
    private void backgroundTask() {
        while (true) {
            print("Background work...");
            Async.sleep(Duration.ofSeconds(5));
        }
    }

    private void main() {
        // Start background task
        Task<Void> task = Async.createTask(this::backgroundTask);
        // Do other work
        Async.sleep(Duration.ofSeconds(10));
        // Cancel background task
        task.cancel();
    }

    @Override
    public void run() {
        long start = now();
        main();
        print("Time: " + secondsSince(start));
    }
}
