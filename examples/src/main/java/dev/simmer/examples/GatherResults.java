package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Async Programming (Intro), "Using asyncio.gather()": results come back in the order the
 * coroutines were given, and the whole takes as long as the slowest (2 s), not the sum.
 *
 * <pre>
 * async def task_a():
 *     await asyncio.sleep(1)
 *     return "Result A"
 *
 * async def task_b():
 *     await asyncio.sleep(2)
 *     return "Result B"
 *
 * async def main():
 *     results = await asyncio.gather(task_a(), task_b())
 *     print(results)  # ['Result A', 'Result B']
 * start: float = time.time()
 * await main()
 * print(f"Time: {time.time() - start:.2f}s")
 * </pre>
 */
public final class GatherResults extends Example {
    /** The example, printing to {@code out}. */
    public GatherResults(PrintStream out) {
        super(out);
    }

    private String taskA() {
        Async.sleep(Duration.ofSeconds(1));
        return "Result A";
    }

    private String taskB() {
        Async.sleep(Duration.ofSeconds(2));
        return "Result B";
    }

    @Override
    public void run() throws Exception {
        long start = now();
        List<String> results = Async.gather(this::taskA, this::taskB);
        print(results); // ['Result A', 'Result B']
        print("Time: " + secondsSince(start));
    }
}
