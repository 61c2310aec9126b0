package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.Outcome;
import dev.simmer.Task;
import dev.simmer.WaitMode;
import dev.simmer.WaitResult;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Waiting for several tasks in other ways than {@code gather}: every outcome
 * ({@code gather(..., return_exceptions=True)}), each dish as it is ready
 * ({@code as_completed}), and the first one ready ({@code wait(FIRST_COMPLETED)}).
 *
 * <pre>
 * results = await asyncio.gather(cook("soup", 1), burn("toast", 1), cook("tea", 2),
 *                                return_exceptions=True)
 * dishes = [asyncio.create_task(cook(d, m)) for d, m in [("pasta", 3), ("salad", 1), ("soup", 2)]]
 * for next_ready in asyncio.as_completed(dishes):
 *     print(f"out of the kitchen: {await next_ready}")
 * done, pending = await asyncio.wait([tea, cake], return_when=asyncio.FIRST_COMPLETED)
 * </pre>
 *
 * <p>{@link Async#gatherSettled} returns an {@link Outcome} per body instead of mixing
 * exceptions into the results; {@link Async#asCompleted} yields the tasks themselves, in the
 * order they end; {@link Async#wait} returns the done and pending tasks and cancels nothing.
 */
public final class ServeAsReady extends Example {
    /** The example, printing to {@code out}. */
    public ServeAsReady(PrintStream out) {
        super(out);
    }

    private String cook(String dish, int seconds) {
        Async.sleep(Duration.ofSeconds(seconds));
        return dish;
    }

    private String burn(String dish, int seconds) {
        Async.sleep(Duration.ofSeconds(seconds));
        throw new IllegalStateException(dish + " burnt");
    }

    @Override
    public void run() throws Exception {
        List<Outcome<String>> outcomes = Async.gatherSettled(
                () -> cook("soup", 1),
                () -> burn("toast", 1),
                () -> cook("tea", 2));
        for (Outcome<String> outcome : outcomes) {
            print(switch (outcome) {
                case Outcome.Success<String> served -> "served " + served.value();
                case Outcome.Failure<String> failed -> "failed: " + failed.exception().getMessage();
                case Outcome.Cancelled<String> cancelled -> "cancelled";
            });
        }

        long start = now();
        List<Task<String>> dishes = List.of(
                Async.createTask(() -> cook("pasta", 3)),
                Async.createTask(() -> cook("salad", 1)),
                Async.createTask(() -> cook("soup", 2)));
        for (Task<String> ready : Async.asCompleted(dishes)) { // in the order they end
            print("out of the kitchen: " + ready.result() + " (" + secondsSince(start) + ")");
        }

        Task<String> tea = Async.createTask("tea", () -> cook("tea", 1));
        Task<String> cake = Async.createTask("cake", () -> cook("cake", 5));
        WaitResult first = Async.wait(List.of(tea, cake), WaitMode.FIRST_COMPLETED);
        print("done: " + first.done().stream().map(Task::name).toList()
                + ", pending: " + first.pending().stream().map(Task::name).toList());
        cake.cancel(); // wait() cancels nothing itself
    }
}
