package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.Task;
import dev.simmer.TaskGroup;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Task groups (asyncio's {@code TaskGroup}): child tasks that never outlive their group. A
 * dinner where every dish is served, then one where the toast burns and the rest of the
 * order is called off.
 *
 * <pre>
 * async with asyncio.TaskGroup() as tg:
 *     soup = tg.create_task(cook("soup", 3))
 *     salad = tg.create_task(cook("salad", 1))
 * print(f"served: {soup.result()} and {salad.result()}")
 *
 * try:
 *     async with asyncio.TaskGroup() as tg:
 *         tg.create_task(cook("stew", 5))
 *         tg.create_task(burn("toast", 2))
 * except* KitchenFire as eg:
 *     print(f"dinner failed: {eg.exceptions[0]}")
 * </pre>
 *
 * <p>The first failure cancels the other children; the group waits for all of them and then
 * throws that failure itself (not an exception group: Java has no {@code except*}).
 */
public final class TaskGroups extends Example {
    /** The example, printing to {@code out}. */
    public TaskGroups(PrintStream out) {
        super(out);
    }

    /** What a burnt dish throws. */
    static final class KitchenFire extends Exception {
        KitchenFire(String message) {
            super(message);
        }
    }

    private String cook(String dish, int seconds) {
        try {
            Async.sleep(Duration.ofSeconds(seconds));
            print(dish + ": ready");
            return dish;
        } catch (CancelledException e) {
            print(dish + ": called off");
            throw e;
        }
    }

    private String burn(String dish, int seconds) throws KitchenFire {
        Async.sleep(Duration.ofSeconds(seconds));
        throw new KitchenFire(dish + " burnt");
    }

    @Override
    public void run() throws Exception {
        long start = now();
        String served = Async.taskGroup(group -> {
            Task<String> soup = group.createTask(() -> cook("soup", 3));
            Task<String> salad = group.createTask(() -> cook("salad", 1));
            return soup.await() + " and " + salad.await();
        });
        print("served: " + served + " (" + secondsSince(start) + ")");

        start = now();
        try (TaskGroup group = TaskGroup.open()) {
            group.createTask(() -> cook("stew", 5));
            group.createTask(() -> burn("toast", 2));
            group.join(); // waits for every child; throws the first failure
        } catch (KitchenFire e) {
            print("dinner failed: " + e.getMessage() + " (" + secondsSince(start) + ")");
        }

        List<String> menu = List.of("tea", "cake");
        try (TaskGroup group = TaskGroup.open()) {
            for (String dish : menu) {
                group.createTask(() -> cook(dish, 1));
            }
            group.join();
        }
    }
}
