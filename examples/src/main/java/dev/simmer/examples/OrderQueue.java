package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.Task;
import dev.simmer.sync.Event;
import dev.simmer.sync.Queue;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@link Queue} and {@link Event} from {@code dev.simmer.sync} (asyncio's {@code Queue} and
 * {@code Event}): waiters take orders to two cooks through a queue, and the cooks wait for
 * the kitchen to open.
 *
 * <pre>
 * orders = asyncio.Queue(maxsize=2)
 * kitchen_open = asyncio.Event()
 *
 * async def cook(name):
 *     await kitchen_open.wait()
 *     while True:
 *         order = await orders.get()
 *         await asyncio.sleep(1)
 *         print(f"{name}: {order} done")
 *         orders.task_done()
 *
 * cooks = [asyncio.create_task(cook(n)) for n in ("Ann", "Bo")]
 * for order in ["soup", "salad", "pasta", "pie"]:
 *     await orders.put(order)             # waits while two orders are waiting
 * kitchen_open.set()
 * await orders.join()                     # until every order is done
 * for c in cooks:
 *     c.cancel()
 * </pre>
 */
public final class OrderQueue extends Example {
    private final Queue<String> orders = new Queue<>(2); // at most two orders waiting
    private final Event kitchenOpen = new Event();

    /** The example, printing to {@code out}. */
    public OrderQueue(PrintStream out) {
        super(out);
    }

    private void cook(String name) {
        kitchenOpen.await(); // suspends until someone calls set()
        while (true) {
            String order = orders.get(); // suspends while the queue is empty
            try {
                Async.sleep(Duration.ofSeconds(1));
                print(name + ": " + order + " done");
            } finally {
                orders.taskDone();
            }
        }
    }

    @Override
    public void run() throws Exception {
        long start = now();
        List<Task<Void>> cooks = List.of(
                Async.createTask("Ann", () -> cook("Ann")),
                Async.createTask("Bo", () -> cook("Bo")));
        for (String order : List.of("soup", "salad", "pasta", "pie")) {
            if (orders.isFull()) {
                print("waiter: queue full, opening the kitchen");
                kitchenOpen.set();
            }
            orders.put(order); // suspends while two orders are waiting
            print("waiter: " + order + " ordered (" + secondsSince(start) + ")");
        }
        orders.join(); // until every order is done
        cooks.forEach(Task::cancel);
        print("all orders done (" + secondsSince(start) + ")");
    }
}
