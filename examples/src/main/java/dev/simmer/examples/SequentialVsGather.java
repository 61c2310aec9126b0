package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Seed 000, "The Magic Revealed": awaiting three downloads one by one takes six seconds,
 * gathering them takes two.
 *
 * <pre>
 * # Without gather - takes 6 seconds
 * await download("A") # 2 sec
 * await download("B") # 2 sec
 * await download("C") # 2 sec
 * # With gather - takes 2 seconds!
 * await asyncio.gather(
 *     download("A"),
 *     download("B"),
 *     download("C")
 * )
 * </pre>
 *
 * <p>The seed states the times in comments; this twin prints them, from the loop's clock.
 */
public final class SequentialVsGather extends Example {
    /** The example, printing to {@code out}. */
    public SequentialVsGather(PrintStream out) {
        super(out);
    }

    @Override
    public void run() throws Exception {
        print("Without gather:");
        long start = now();
        download("A"); // 2 sec
        download("B"); // 2 sec
        download("C"); // 2 sec
        print("Time: " + secondsSince(start));

        print("With gather:");
        start = now();
        Async.gather(
                () -> download("A"),
                () -> download("B"),
                () -> download("C"));
        print("Time: " + secondsSince(start));
    }

    private String download(String name) {
        print("Starting " + name);
        Async.sleep(Duration.ofSeconds(2));
        print("Done " + name);
        return name;
    }
}
