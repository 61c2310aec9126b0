package dev.simmer.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Python Async/Await: Write Non-Blocking Code from Scratch, practice exercise 5: what
 * {@code gather} does, simulated with plain functions.
 *
 * <pre>
 * Write a function called simulate_gather that takes a list of regular (synchronous)
 * functions, calls each one, collects the results into a list, and returns that list.
 * Then call it with three lambda functions: lambda: 'A', lambda: 'B', lambda: 'C' and
 * print the result.
 * </pre>
 *
 * <p>Python prints {@code ['A', 'B', 'C']}, and so does this twin. The real
 * {@link dev.simmer.Async#gather} takes bodies the same way, and runs them as concurrent
 * tasks: see {@link GatherDownloads}.
 */
public final class SimulateGather extends Example {
    /** The example, printing to {@code out}. */
    public SimulateGather(PrintStream out) {
        super(out);
    }

    static <T> List<T> simulateGather(List<Supplier<T>> functions) {
        List<T> results = new ArrayList<>();
        for (Supplier<T> f : functions) {
            results.add(f.get());
        }
        return results;
    }

    @Override
    public void run() {
        print(simulateGather(List.of(() -> "A", () -> "B", () -> "C"))); // ['A', 'B', 'C']
    }
}
