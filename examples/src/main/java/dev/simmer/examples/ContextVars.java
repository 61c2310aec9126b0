package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.ContextVar;
import dev.simmer.Task;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@link ContextVar} (asyncio's {@code contextvars.ContextVar}): a value that belongs to a
 * task, here the table an order is for, copied into the tasks it creates.
 *
 * <pre>
 * table = contextvars.ContextVar("table", default="-")
 *
 * def log(message):
 *     print(f"[table {table.get()}] {message}")
 *
 * async def serve(number):
 *     table.set(number)
 *     side = asyncio.create_task(fetch_bread())   # sees this task's table
 *     await asyncio.sleep(1)
 *     log("main course")
 *     await side
 * </pre>
 *
 * <p>On the fast path every task runs on the loop thread, so a {@code ThreadLocal} would be
 * shared by all of them; a {@code ContextVar} is per task.
 */
public final class ContextVars extends Example {
    static final ContextVar<Integer> TABLE = new ContextVar<>("table");

    /** The example, printing to {@code out}. */
    public ContextVars(PrintStream out) {
        super(out);
    }

    private void log(String message) {
        print("[table " + TABLE.get(0) + "] " + message);
    }

    private void fetchBread() {
        Async.sleep(Duration.ofMillis(500));
        log("bread");
    }

    private void serve(int number) throws Exception {
        TABLE.set(number);                                     // only this task and its children see it
        Task<Void> side = Async.createTask(this::fetchBread);  // the new task starts with table = number
        Async.sleep(Duration.ofSeconds(1));
        log("main course");
        side.await();
    }

    @Override
    public void run() throws Exception {
        log("kitchen opens");
        Async.gather(() -> serve(4), () -> serve(7));
        log("kitchen closes");                                 // main never set it
    }
}
