package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Seed 000, "async and await: The Magic Words": a coroutine that pauses at an await.
 *
 * <pre>
 * async def make_coffee():
 *     print("Starting coffee...")
 *     await brew_coffee() # Wait here
 *     print("Coffee ready!")
 * </pre>
 *
 * <p>The seed leaves {@code brew_coffee} out; here it takes two seconds. In Java a coroutine
 * is a plain method: calling {@code brewCoffee()} from inside a task is {@code await brew_coffee()}.
 */
public final class MakeCoffee extends Example {
    /** The example, printing to {@code out}. */
    public MakeCoffee(PrintStream out) {
        super(out);
    }

    @Override
    public void run() {
        print("Starting coffee...");
        brewCoffee(); // Wait here
        print("Coffee ready!");
    }

    private void brewCoffee() {
        Async.sleep(Duration.ofSeconds(2));
    }
}
