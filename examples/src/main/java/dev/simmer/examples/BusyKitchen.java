package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.TaskGroup;
import dev.simmer.sync.Held;
import dev.simmer.sync.Queue;
import dev.simmer.sync.Semaphore;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * A busy kitchen, with {@link Queue} and {@link Semaphore} from {@code dev.simmer.sync}
 * (asyncio's {@code Queue} and {@code Semaphore}): a waiter puts six orders into a queue,
 * three cooks take them, and the kitchen has only two burners. When every order is ready
 * the waiter shuts the queue down, which sends the cooks home.
 *
 * <pre>
 * burners = asyncio.Semaphore(2)
 * orders = asyncio.Queue(maxsize=2)
 *
 * async def cook(name):
 *     while True:
 *         try:
 *             dish, seconds = await orders.get()
 *         except asyncio.QueueShutDown:
 *             break
 *         print(f"{name} takes {dish}" + (", waits for a burner" if burners.locked() else ""))
 *         async with burners:                 # waits while both burners are busy
 *             print(f"{name} puts {dish} on a burner")   # (and how many are busy)
 *             await asyncio.sleep(seconds)
 *         print(f"{name}: {dish} done")
 *         orders.task_done()
 *     print(f"{name} goes home")
 *
 * MENU = [("soup", 3), ("rice", 2), ("stew", 4), ("eggs", 1), ("pasta", 2), ("tea", 1)]
 *
 * async with asyncio.TaskGroup() as kitchen:
 *     for name in ("Ann", "Bo", "Cy"):
 *         kitchen.create_task(cook(name))
 *     for dish, seconds in MENU:
 *         await orders.put((dish, seconds))    # waits while two orders are waiting
 *         print(f"waiter: {dish} ordered")
 *     await orders.join()                     # until every order is ready
 *     print(f"waiter: all {len(MENU)} orders ready")
 *     orders.shutdown()                       # the cooks' get() raises QueueShutDown
 * </pre>
 *
 * <p>The cooks' loop is {@link Queue#consume()}: an enhanced {@code for} over the queue that
 * ends when it is shut down and empty. The kitchen counts the dishes on the burners: each
 * line that puts one on says how many are busy, and the test checks that never more than
 * two are.
 */
public final class BusyKitchen extends Example {
    /** An order: a dish and how long it stays on a burner. */
    private record Order(String dish, int seconds) {
    }

    private static final List<Order> MENU = List.of(
            new Order("soup", 3), new Order("rice", 2), new Order("stew", 4),
            new Order("eggs", 1), new Order("pasta", 2), new Order("tea", 1));
    private static final int BURNERS = 2;

    private final Semaphore burners = new Semaphore(BURNERS);
    private final Queue<Order> orders = new Queue<>(2); // at most two orders waiting
    private int onBurners;     // dishes on the burners now
    private int mostOnBurners; // the most there ever were at once

    /** The example, printing to {@code out}. */
    public BusyKitchen(PrintStream out) {
        super(out);
    }

    @SuppressWarnings("try") // the Held value is only there to be closed
    private void cook(String name) {
        for (Order order : orders.consume()) { // suspends while no order waits; ends at shutdown
            print(name + " takes " + order.dish() + (burners.locked() ? ", waits for a burner" : ""));
            try (Held burner = burners.acquire()) { // waits while both burners are busy
                onBurners++;
                mostOnBurners = Math.max(mostOnBurners, onBurners);
                print(name + " puts " + order.dish() + " on a burner (" + onBurners + " of " + BURNERS + " busy)");
                Async.sleep(Duration.ofSeconds(order.seconds()));
                onBurners--;
            }
            print(name + ": " + order.dish() + " done");
            orders.taskDone(); // one unfinished order fewer, for join()
        }
        print(name + " goes home");
    }

    @Override
    public void run() throws Exception {
        try (TaskGroup kitchen = TaskGroup.open()) {
            for (String name : List.of("Ann", "Bo", "Cy")) {
                kitchen.createTask(name, () -> cook(name));
            }
            for (Order order : MENU) {
                orders.put(order); // suspends while two orders are waiting
                print("waiter: " + order.dish() + " ordered");
            }
            orders.join(); // until every order is ready
            print("waiter: all " + MENU.size() + " orders ready, at most " + mostOnBurners + " on the burners at once");
            orders.shutdown(); // the cooks' loops end once the queue is empty (it is)
            kitchen.join();
        }
        print("kitchen closed");
    }
}
