package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Asynchronous Programming in Python, "Tasks": two tasks run concurrently; the shorter one
 * finishes first.
 *
 * <pre>
 * async def task1():
 *     print("Task 1 started")
 *     await asyncio.sleep(2)
 *     print("Task 1 completed")
 * async def task2():
 *     print("Task 2 started")
 *     await asyncio.sleep(1)
 *     print("Task 2 completed")
 * async def main():
 *     await asyncio.gather(task1(), task2())
 * asyncio.run(main())
 * </pre>
 */
public final class TwoTasks extends Example {
    /** The example, printing to {@code out}. */
    public TwoTasks(PrintStream out) {
        super(out);
    }

    private void task1() {
        print("Task 1 started");
        Async.sleep(Duration.ofSeconds(2));
        print("Task 1 completed");
    }

    private void task2() {
        print("Task 2 started");
        Async.sleep(Duration.ofSeconds(1));
        print("Task 2 completed");
    }

    @Override
    public void run() throws Exception {
        Async.gather(this::task1, this::task2);
    }
}
