package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The Restaurant Kitchen Story, "async and await: The Magic Words": a coroutine that pauses
 * at an await.
 *
 * <pre>
 * async def make_coffee():
 *     print("Starting coffee...")
 *     await brew_coffee() # Wait here
 *     print("Coffee ready!")
 * </pre>
 *
 * <p>The tutorial leaves {@code brew_coffee} out and does not run {@code make_coffee}; here
 * {@code brew_coffee} is {@code await asyncio.sleep(2)}, and the program is
 * {@code asyncio.run(make_coffee())}. In Java a coroutine is a plain method: calling
 * {@code brewCoffee()} from inside a task is {@code await brew_coffee()}.
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
