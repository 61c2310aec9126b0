package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The Restaurant Kitchen Story, "The Magic Revealed": awaiting three downloads one by one
 * takes six seconds, gathering them takes two.
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
 * <p>The tutorial gives fragments, with the times in comments. Beyond it, this twin runs
 * them in one main (with the tutorial's {@code download}, see {@link GatherDownloads}) and
 * prints a heading and the time of each way, from the loop's clock, as this Python does:
 *
 * <pre>
 * async def main():
 *     loop = asyncio.get_running_loop()
 *     print("Without gather:")
 *     start = loop.time()
 *     await download("A")
 *     await download("B")
 *     await download("C")
 *     print(f"Time: {loop.time() - start:.2f}s")
 *     print("With gather:")
 *     start = loop.time()
 *     await asyncio.gather(download("A"), download("B"), download("C"))
 *     print(f"Time: {loop.time() - start:.2f}s")
 * </pre>
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
