package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.Task;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Async Programming (Intro), "Basic Example": three tasks sleep concurrently; each greets when
 * its own delay is over, so Bob (1 s) comes before Alice (2 s) and Charlie (3 s), and the
 * whole takes 3 s.
 *
 * <pre>
 * async def say_hello(name, delay):
 *     """Greet after delay"""
 *     await asyncio.sleep(delay)
 *     print(f"Hello, {name}!")
 *
 * async def main():
 *     """Run multiple greetings concurrently"""
 *     task1 = asyncio.create_task(say_hello("Alice", 2))
 *     task2 = asyncio.create_task(say_hello("Bob", 1))
 *     task3 = asyncio.create_task(say_hello("Charlie", 3))
 *     await asyncio.gather(task1, task2, task3)
 * </pre>
 */
public final class GreetAfterDelay extends Example {
    /** The example, printing to {@code out}. */
    public GreetAfterDelay(PrintStream out) {
        super(out);
    }

    /** Greet after delay. */
    private void sayHello(String name, int delaySeconds) {
        Async.sleep(Duration.ofSeconds(delaySeconds));
        print("Hello, " + name + "!");
    }

    @Override
    public void run() throws Exception {
        // Create tasks
        Task<Void> task1 = Async.createTask(() -> sayHello("Alice", 2));
        Task<Void> task2 = Async.createTask(() -> sayHello("Bob", 1));
        Task<Void> task3 = Async.createTask(() -> sayHello("Charlie", 3));

        // Wait for all tasks concurrently
        Async.gather(task1, task2, task3);
    }
}
