package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Seed 002, practice exercise 5: what {@code gather} does, simulated with plain functions.
 *
 * <pre>
 * Write a function called simulate_gather that takes a list of regular (synchronous)
 * functions, calls each one, collects the results into a list, and returns that list.
 * Then call it with three lambda functions: lambda: 'A', lambda: 'B', lambda: 'C' and
 * print the result.
 * </pre>
 *
 * <p>Python prints {@code ['A', 'B', 'C']}. This twin then does the same with the real
 * {@link Async#gather}, which runs the three bodies as concurrent tasks.
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
    public void run() throws Exception {
        List<Supplier<String>> functions = List.of(() -> "A", () -> "B", () -> "C");
        print(simulateGather(functions)); // ['A', 'B', 'C']

        List<String> gathered = Async.gather(() -> "A", () -> "B", () -> "C");
        print(gathered); // ['A', 'B', 'C'], from three tasks
    }
}
